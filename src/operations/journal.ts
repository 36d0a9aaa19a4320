// An operation's journal: `<state dir>/operations/<id>/journal.jsonl`, one JSON record a line,
// append-only, fsync'ed after every record so a crash or a power cut loses at most the record
// being written (a torn last line is ignored when reading).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalRecord } from './types.js';

export const JOURNAL = 'journal.jsonl';

export const operationsDir = (stateDir: string) => join(stateDir, 'operations');
export const operationDir = (stateDir: string, id: string) => join(operationsDir(stateDir), id);
export const journalFile = (dir: string) => join(dir, JOURNAL);

/** Append one record and flush it to disk before returning. */
export function appendRecord(dir: string, rec: JournalRecord): void {
  const fd = openSync(journalFile(dir), 'a', 0o600);
  try {
    writeSync(fd, JSON.stringify(rec) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every whole record of the journal (an unreadable line, such as a torn last one, is skipped). */
export function readRecords(dir: string): JournalRecord[] {
  const f = journalFile(dir);
  if (!existsSync(f)) return [];
  const out: JournalRecord[] = [];
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as JournalRecord;
      if (r && typeof r === 'object' && typeof r.t === 'string') out.push(r);
    } catch {
      /* torn write */
    }
  }
  return out;
}

/** Make the operation's directory (0700) and fsync its parent so the new entry survives a crash. */
export function createOperationDirOnDisk(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, '..'), 'r');
    fsyncSync(fd);
  } catch {
    /* directory fsync unsupported */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Ids of the operations on disk, newest first (ids start with a UTC timestamp). */
export function operationIds(stateDir: string): string[] {
  const d = operationsDir(stateDir);
  if (!existsSync(d)) return [];
  return readdirSync(d, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(d, e.name, JOURNAL)))
    .map((e) => e.name)
    .sort()
    .reverse();
}
