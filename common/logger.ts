/** One-line, greppable logs: `time level component message key=value...`. Never pass secrets in fields. */
export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

export function createLogger(component: string): Logger {
  const write = (level: string, message: string, fields?: Fields) => {
    const extra = fields
      ? Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`)
          .join(' ')
      : '';
    const line = `${new Date().toISOString()} ${level} [${component}] ${message}${extra ? ' ' + extra : ''}`;
    (level === 'ERROR' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    info: (m, f) => write('INFO', m, f),
    warn: (m, f) => write('WARN', m, f),
    error: (m, f) => write('ERROR', m, f),
  };
}
