/** Amazon's basic ISO-8601 UTC (yyyyMMddTHHmmssZ) to an ISO instant, and back. */
export function fromAmazonTimestamp(basic: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(basic);
  if (!m) throw new RangeError(`not an Amazon timestamp: ${basic}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}

export function toAmazonTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
