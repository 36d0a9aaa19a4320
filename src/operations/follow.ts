// Follow an operation's journal from any process: every record as it is appended (the headless
// twins print one line per step event; a store refreshes its summary), until the operation ends.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { journalFile } from './journal.js';
import type { JournalRecord, OperationSummary } from './types.js';
import { readSummary } from './engine.js';

export interface FollowOptions {
  pollMs?: number;
  signal?: AbortSignal;
  /** start after the records already there (default: from the first record) */
  fromEnd?: boolean;
}

/** Call `onRecord` for each record; resolves with the summary once the journal has an `end`
 * record and no runner is running it, or when `signal` aborts. */
export async function followOperation(dir: string, onRecord: (r: JournalRecord) => void, o: FollowOptions = {}): Promise<OperationSummary | undefined> {
  const file = journalFile(dir);
  let offset = o.fromEnd && existsSync(file) ? statSync(file).size : 0;
  let partial = '';
  for (;;) {
    if (existsSync(file)) {
      const size = statSync(file).size;
      if (size > offset) {
        const fd = openSync(file, 'r');
        try {
          const buf = Buffer.alloc(size - offset);
          readSync(fd, buf, 0, buf.length, offset);
          offset = size;
          const text = partial + buf.toString('utf8');
          const lines = text.split('\n');
          partial = lines.pop() ?? '';
          for (const l of lines) {
            if (!l.trim()) continue;
            try {
              onRecord(JSON.parse(l) as JournalRecord);
            } catch {
              /* a torn line left by a crash */
            }
          }
        } finally {
          closeSync(fd);
        }
      }
    }
    const s = readSummary(dir);
    if (s && s.state !== 'running' && s.state !== 'pending' && partial === '') return s;
    if (o.signal?.aborted) return s;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
}

/** One line per record, for the headless twins (`--json` prints the records themselves). */
export function recordLine(r: JournalRecord, titles: Record<string, string> = {}): string | undefined {
  const t = new Date(r.at).toISOString().slice(11, 19);
  const name = (id: string) => titles[id] ?? id;
  switch (r.t) {
    case 'created':
      return `${t} ${r.spec.title}: ${r.spec.steps.length} steps`;
    case 'run':
      return `${t} ${r.resume ? 'resumed' : 'started'} (runner pid ${r.pid})`;
    case 'step':
      return `${t} ${name(r.step)}: ${r.state}${r.message ? ` — ${r.message.split('\n')[0]}` : ''}`;
    case 'job':
      return `${t} ${name(r.step)}: job ${r.jobId}`;
    case 'log':
      return `${t} ${name(r.step)}: ${r.line}`;
    case 'cancel':
      return `${t} cancel requested${r.by ? ` by ${r.by}` : ''}`;
    case 'end':
      return `${t} ${r.state}${r.step ? ` at ${name(r.step)}` : ''}${r.message ? `: ${r.message.split('\n')[0]}` : ''}`;
  }
}
