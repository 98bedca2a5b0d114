/** A table as aligned text for the terminal: the first column to the left, the figures to the right. */
export function alignedText(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

/** The same table in Markdown, for bench/RESULTS.md. */
export function markdown(head: string[], rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(head), line(head.map((_, c) => (c === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
