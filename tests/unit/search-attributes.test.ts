import { readFileSync } from 'node:fs';
import { searchAttributesFile } from '../../scripts/search-attributes-file';
import { SEARCH_ATTRIBUTES, SQL_VISIBILITY_SLOTS } from '../../workflows/search-attributes';

/** The one list of search attributes: what compose registers, and what the visibility store can hold. */
describe('one list of search attributes', () => {
  test('compose registers the list as written from workflows/search-attributes.ts (scripts/search-attributes-file.ts)', () => {
    const file = readFileSync(require.resolve('../../deploy/temporal/search-attributes.txt'), 'utf8');
    expect(file).toBe(searchAttributesFile());
  });

  test('the create-namespace script reads that file, and compose mounts it beside the script without overriding it', () => {
    const script = readFileSync(require.resolve('../../deploy/temporal/create-namespace.sh'), 'utf8');
    expect(script).toContain('/search-attributes.txt');
    const compose = readFileSync(require.resolve('../../docker-compose.yml'), 'utf8');
    expect(compose).toContain('./deploy/temporal/search-attributes.txt:/scripts/search-attributes.txt:ro');
    expect(compose).not.toMatch(/TEMPORAL_SEARCH_ATTRIBUTES:/);
  });

  test('every type fits the slots SQL visibility has (PostgreSQL in compose, SQLite in the dev server)', () => {
    const used: Record<string, number> = {};
    for (const a of SEARCH_ATTRIBUTES) used[a.type] = (used[a.type] ?? 0) + 1;
    for (const [type, count] of Object.entries(used)) expect([type, count]).toEqual([type, Math.min(count, SQL_VISIBILITY_SLOTS[type]!)]);
    expect(new Set(SEARCH_ATTRIBUTES.map((a) => a.name)).size).toBe(SEARCH_ATTRIBUTES.length);
  });
});
