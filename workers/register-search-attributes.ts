import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers renkei's search attributes on a namespace, skipping those already there. Works on the dev server,
 * the time-skipping test server and a cluster; a persisted dev-server database keeps them across restarts.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    for (const name of [...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]) known.add(name);
  } catch (err) {
    // The time-skipping test server has no ListSearchAttributes; adding one by one below still works there.
    if (!/UNIMPLEMENTED/i.test((err as Error).message)) throw err;
  }
  const added: string[] = [];
  for (const attribute of SEARCH_ATTRIBUTES.filter((a) => !known.has(a.name))) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [attribute.name]: INDEXED_TYPE[attribute.type]! } });
      added.push(attribute.name);
    } catch (err) {
      const message = (err as Error).message;
      if (/already exists|ALREADY_EXISTS/i.test(message)) continue;
      // e.g. "cannot have more than 10 search attribute of type Keyword": SQL visibility's slots are taken
      throw new Error(`search attribute ${attribute.name} (${attribute.type}) not registered on namespace '${namespace}': ${message}`, { cause: err });
    }
  }
  return added;
}
