// The API the actions (and the headless twins) call: create an operation, start it detached,
// resume, cancel, abandon, list and read them. Operations live under <state dir>/operations/.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OnedeckError } from '../errors.js';
import { acquireLock, heldError, lockHolder, releaseLock } from '../jobs/lock.js';
import { isAlive } from '../jobs/proc.js';
import type { OperationLock } from './engine.js';
import { readSummary } from './engine.js';
import { appendRecord, createOperationDirOnDisk, operationDir, operationIds } from './journal.js';
import { resumable } from './summary.js';
import type { OperationKind, OperationSpec, OperationSummary, Operator } from './types.js';

const pad = (n: number) => String(n).padStart(2, '0');

export function newOperationId(kind: OperationKind, hosts: string[], now = new Date()): string {
  const ts = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `op-${ts}-${kind}-${hosts[0] ?? 'x'}${hosts.length > 1 ? `+${hosts.length - 1}` : ''}-${randomBytes(2).toString('hex')}`;
}

/** Write the operation's first record; nothing runs yet. */
export function createOperation(stateDir: string, spec: Omit<OperationSpec, 'id'> & { id?: string }, now = Date.now()): OperationSummary {
  const id = spec.id ?? newOperationId(spec.kind, spec.hosts, new Date(now));
  const dir = operationDir(stateDir, id);
  createOperationDirOnDisk(dir);
  appendRecord(dir, { t: 'created', at: now, spec: { ...spec, id } });
  return readSummary(dir)!;
}

export function readOperation(stateDir: string, id: string): OperationSummary | undefined {
  return readSummary(operationDir(stateDir, id));
}

/** Every operation on this machine, newest first. */
export function listOperations(stateDir: string): OperationSummary[] {
  return operationIds(stateDir)
    .map((id) => readOperation(stateDir, id))
    .filter((s): s is OperationSummary => !!s);
}

/** The machine-wide mutating lock, held in the operation's name and its operator's. */
export function machineLock(lockFile: string, spec: OperationSpec, pid = process.pid): OperationLock {
  return {
    acquire: () =>
      void acquireLock(lockFile, {
        jobId: spec.id,
        kind: 'operation',
        pid,
        user: spec.operator.user,
        ...(spec.operator.from ? { from: spec.operator.from } : {}),
        host: hostname(),
        startedAt: Date.now(),
        command: spec.title,
      }),
    release: () => releaseLock(lockFile, spec.id),
  };
}

export interface DetachedOptions {
  stateDir: string;
  lockFile: string;
  /** the bundled runner (dist/operation-runner.js) */
  runnerScript: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start (or resume) an operation in a detached runner of its own session; resolves once it runs. */
export async function startDetached(id: string, o: DetachedOptions): Promise<void> {
  const dir = operationDir(o.stateDir, id);
  const before = readSummary(dir);
  if (!before) throw new OnedeckError(`no operation ${id}`, { hint: 'See :ops for the operations on this machine.', exitCode: 64 });
  if (before.state === 'running') return;
  if (!resumable(before)) throw new OnedeckError(`operation ${id} is ${before.state}; it cannot run again`, { hint: 'Start a new one.', exitCode: 64 });
  if (!existsSync(o.runnerScript)) throw new OnedeckError(`the operation runner ${o.runnerScript} is missing`, { hint: 'Rebuild onedeck: npm run build.' });
  const h = lockHolder(o.lockFile);
  if (h) throw heldError(h);
  const runs = (s: OperationSummary | undefined) => (s?.runnerPid !== before.runnerPid || s?.startedAt !== before.startedAt ? s : undefined);
  const errFd = openSync(join(dir, 'runner.err'), 'a', 0o600);
  const child = spawn(process.execPath, [o.runnerScript, dir], { detached: true, stdio: ['ignore', 'ignore', errFd], env: o.env ?? process.env });
  child.on('error', () => {});
  child.unref();
  closeSync(errFd);
  const deadline = Date.now() + (o.startTimeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const now = readSummary(dir);
    if (runs(now) && now!.runnerPid === child.pid) return;
    if (child.exitCode !== null) break;
    await sleep(25);
  }
  const lock = lockHolder(o.lockFile);
  if (lock && lock.jobId !== id) throw heldError(lock);
  // what the runner said before it gave up (a broken onedeck.yaml, say): its last line
  let why = '';
  try {
    const err = readFileSync(join(dir, 'runner.err'), 'utf8');
    const at = err.lastIndexOf('operation-runner: ');
    why = (at >= 0 ? err.slice(at + 'operation-runner: '.length) : err).trim().split('\n')[0] ?? '';
  } catch {
    /* no file */
  }
  throw new OnedeckError(`operation ${id}: its runner did not start${why ? `: ${why}` : ''}`, { hint: `Fix that and resume; the whole output is in ${join(dir, 'runner.err')}.` });
}

/** Ask the runner to cancel the running step; an operation whose runner is gone is marked cancelled. */
export function cancelOperation(stateDir: string, id: string, by?: string): OperationSummary {
  const dir = operationDir(stateDir, id);
  const s = readSummary(dir);
  if (!s) throw new OnedeckError(`no operation ${id}`, { exitCode: 64 });
  if (s.state === 'done' || s.state === 'abandoned' || s.state === 'cancelled') return s;
  appendRecord(dir, { t: 'cancel', at: Date.now(), ...(by ? { by } : {}) });
  if (s.state === 'running' && s.runnerPid && isAlive(s.runnerPid, s.runnerPidStart)) {
    process.kill(s.runnerPid, 'SIGTERM');
  } else {
    const step = s.steps.find((x) => x.state === 'running' || x.state === 'failed')?.id ?? s.step;
    if (step) appendRecord(dir, { t: 'step', at: Date.now(), step, state: 'cancelled', message: 'cancelled' });
    appendRecord(dir, { t: 'end', at: Date.now(), state: 'cancelled', ...(step ? { step } : {}), message: 'cancelled' });
  }
  return readSummary(dir)!;
}

/** Give up on a stopped operation: it stays in the list, and can no longer be resumed. */
export function abandonOperation(stateDir: string, id: string): OperationSummary {
  const dir = operationDir(stateDir, id);
  const s = readSummary(dir);
  if (!s) throw new OnedeckError(`no operation ${id}`, { exitCode: 64 });
  if (s.state === 'running') throw new OnedeckError(`operation ${id} is running`, { hint: 'Cancel it first (x).', exitCode: 64 });
  if (s.state === 'done' || s.state === 'abandoned') return s;
  appendRecord(dir, { t: 'end', at: Date.now(), state: 'abandoned', ...(s.step ? { step: s.step } : {}), message: 'abandoned' });
  return readSummary(dir)!;
}
