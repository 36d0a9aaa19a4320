// One mutating job at a time on this machine, whichever onedeck process starts it: a lock file
// that appears whole (temp file + link) naming its holder. A holder whose process is dead leaves a stale lock,
// which the next acquirer takes over (and says so).
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { OnedeckError } from '../errors.js';
import { isAlive, procStat } from './proc.js';

export interface LockInfo {
  jobId: string;
  kind: string;
  pid: number;
  /** /proc start time of pid, so a reused pid is not mistaken for the holder */
  pidStart?: number;
  user: string;
  from?: string;
  host: string;
  startedAt: number;
  command: string;
  /** the tool's process group (its leader's pid and start time), once the runner started it */
  toolPgid?: number;
  toolStart?: number;
}

export interface AcquireResult {
  /** the stale lock that was taken over, if any */
  tookOver?: LockInfo;
}

export function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Stale when the runner is gone and so is its tool: a runner killed outright leaves the tool running. */
export function isStale(info: LockInfo | undefined): boolean {
  if (!info) return true;
  if (isAlive(info.pid, info.pidStart)) return false;
  return !(info.toolPgid && isAlive(info.toolPgid, info.toolStart));
}

/** Name the tool's process group in the lock `jobId` holds (written whole: temp file + rename). */
export function noteLockTool(file: string, jobId: string, toolPgid: number, toolStart: number | undefined): void {
  const cur = readLock(file);
  if (!cur || cur.jobId !== jobId) return;
  const tmp = `${file}.tool-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, JSON.stringify({ ...cur, toolPgid, toolStart }), { mode: 0o644 });
    renameSync(tmp, file);
  } catch {
    unlinkSafe(tmp); // the lock still names the runner: only the killed-runner case is less covered
  }
}

/** The live holder, or undefined when the lock is free or stale. */
export function lockHolder(file: string): LockInfo | undefined {
  const info = readLock(file);
  return info && !isStale(info) ? info : undefined;
}

const hhmm = (t: number) => new Date(t).toTimeString().slice(0, 5);

export function heldMessage(h: LockInfo): string {
  return `another mutating job is running: job ${h.jobId} (${h.kind}) started by ${h.user}${h.from ? ` from ${h.from}` : ''} at ${hhmm(h.startedAt)}`;
}

export function heldError(h: LockInfo): OnedeckError {
  return new OnedeckError(`${heldMessage(h)} — wait for it or cancel it with :cancel`, {
    hint: `Its log: :logs ${h.jobId}`,
  });
}

// The lock appears whole or not at all: written to a private temp file, then linked into place
// (link fails with EEXIST when taken). An O_EXCL create followed by a write would show an empty
// file for a moment, which a concurrent acquirer would take for a stale lock and take over.
function tryCreate(file: string, info: LockInfo): boolean {
  const tmp = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, JSON.stringify(info));
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    const code = (err as NodeJS.ErrnoException).code;
    // a full disk: the lock cannot be taken, and no temp file is left behind (the finally below)
    throw new OnedeckError(`cannot take the job lock ${file}: ${code === 'ENOSPC' ? 'no space left on the device (ENOSPC)' : (err as Error).message}.`, {
      hint: 'Free space in the onedeck state directory (df -h); nothing was started.',
      cause: err,
    });
  } finally {
    unlinkSafe(tmp);
  }
}

/** Take the lock for `info` (pid = the process that will hold it), or throw who holds it. */
export function acquireLock(file: string, info: LockInfo): AcquireResult {
  const me: LockInfo = { ...info, pidStart: info.pidStart ?? procStat(info.pid)?.start };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, me)) return {};
    const cur = readLock(file);
    if (cur === undefined) {
      // being written right now, or corrupt: give a writer a moment, then treat as stale
      if (attempt < 2) continue;
    } else if (!isStale(cur)) {
      throw heldError(cur);
    }
    // stale: move it aside under a unique name, check we moved the stale one, then retry
    const aside = `${file}.stale-${process.pid}-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readLock(aside);
    if (moved && !isStale(moved)) {
      // we raced with a fresh acquirer: put its lock back
      try {
        linkSync(aside, file);
      } catch {
        /* a third party took it: fine, it is held either way */
      }
      unlinkSafe(aside);
      throw heldError(moved);
    }
    unlinkSafe(aside);
    if (tryCreate(file, me)) return { tookOver: cur };
  }
  const cur = readLock(file);
  if (cur && !isStale(cur)) throw heldError(cur);
  throw new OnedeckError(`cannot take the job lock ${file}`, { hint: 'Remove the file if no onedeck job is running.' });
}

/** Release the lock if `jobId` holds it. */
export function releaseLock(file: string, jobId: string): void {
  const cur = readLock(file);
  if (cur && cur.jobId === jobId) unlinkSafe(file);
}

function unlinkSafe(f: string): void {
  try {
    unlinkSync(f);
  } catch {
    /* gone */
  }
}
