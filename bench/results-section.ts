import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `body` into `file` between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, replacing what a previous run
 * wrote there and leaving the rest of the file (other benchmarks' sections) as it is; appended when absent.
 */
export function writeResultsSection(file: string, name: string, body: string): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const section = `${open}\n${body.trim()}\n${close}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\nEach section is written by the benchmark named in it; re-run it to refresh.\n';
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  const next = a >= 0 && b > a ? `${text.slice(0, a)}${section}${text.slice(b + close.length)}` : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
