import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** Elements that repeat in au PAY responses; parsed as arrays even when one is present (one order is not wrapped). */
const ALWAYS_ARRAY = new Set(['orderInfo', 'detail', 'error']);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false, // codes keep their leading zeros: "0002" stays a string
  trimValues: true,
  isArray: (name) => ALWAYS_ARRAY.has(name),
});

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false });

/** Parses an au PAY XML document; throws when the text is not XML. */
export function parseXml(text: string): Record<string, unknown> {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<[A-Za-z]/.test(text)) throw new Error('String could not be parsed as XML');
  const doc = parser.parse(text, true) as Record<string, unknown>;
  return doc;
}

/** Builds an au PAY XML document with the given root and flat children, UTF-8 declared. */
export function buildXml(root: 'request' | 'response', body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}
