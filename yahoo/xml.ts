import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/**
 * Elements that repeat in Yahoo responses (docs/providers/yahoo.md §9): parsed as arrays even when one is present,
 * because one order or one warning is not wrapped.
 */
const ALWAYS_ARRAY = new Set(['OrderInfo', 'Item', 'ItemOption', 'Inscription', 'Warning']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  ignoreDeclaration: true,
  parseTagValue: false, // codes keep their leading zeros and stay strings: "0", "100", "payment_a1"
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name, _jpath, _isLeaf, isAttribute) => !isAttribute && ALWAYS_ARRAY.has(name),
});

const CDATA = '__cdata';
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  cdataPropName: CDATA,
  format: false,
  suppressEmptyNode: false,
});

/** Free text (names, URLs with `&`, cancel details) goes in CDATA as Yahoo's own samples do; ShipUrl requires it. */
export const cdata = (text: string): { [CDATA]: string } => ({ [CDATA]: text });

/** Parses a Yahoo XML document; throws when the text is not XML. Attributes come back as `@_name`. */
export function parseXml(text: string): Record<string, unknown> {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<[A-Za-z]/.test(text)) throw new Error('not an XML document');
  return parser.parse(text, true) as Record<string, unknown>;
}

/** Builds a Yahoo XML document with one root, UTF-8 declared. Keys `@_x` become attributes. */
export function buildXml(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}

/** A parsed element as a record of strings and children; an empty element (`<OrderInfo/>`) parses as "". */
export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A parsed leaf as a string, or undefined when absent or not a leaf. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
