// onedeck's own diagnostic log. Nothing is printed while the full-screen UI is up, so this file
// is where warnings and debug details go.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AppLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export function createAppLog(file: string): AppLog {
  let ready = false;
  const write = (level: string, msg: string) => {
    try {
      if (!ready) {
        mkdirSync(dirname(file), { recursive: true });
        ready = true;
      }
      appendFileSync(file, `${new Date().toISOString()} ${level} ${msg}\n`, { mode: 0o600 });
    } catch {
      // the log is best effort: never let it break the UI
    }
  };
  return {
    info: (m) => write('INFO', m),
    warn: (m) => write('WARN', m),
    error: (m, e) => write('ERROR', e instanceof Error ? `${m}: ${e.message}\n${e.stack ?? ''}` : m),
  };
}
