import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** Elements that repeat in O-PLUX responses; parsed as arrays even when one is present (spec D). */
const ALWAYS_ARRAY = new Set(['rule', 'similar', 'error']);
/** `event` repeats only inside get's `<events>`; register's single `<event>` stays an object. */
const ALWAYS_ARRAY_PATHS = new Set(['response.events.event']);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false, // codes keep their leading zeros: settle status "00" stays a string
  trimValues: true,
  isArray: (name, jpath) => ALWAYS_ARRAY.has(name) || ALWAYS_ARRAY_PATHS.has(String(jpath)),
});

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false });

/** Parses an O-PLUX XML document; throws when the text is not XML. */
export function parseXml(text: string): Record<string, unknown> {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<[A-Za-z]/.test(text)) throw new Error('not an XML document');
  return parser.parse(text, true) as Record<string, unknown>;
}

/** Builds `<response>…</response>`, UTF-8 declared; arrays become repeated elements. */
export function buildXml(body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ response: body }) as string}`;
}
