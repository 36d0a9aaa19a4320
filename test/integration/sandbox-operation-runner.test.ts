// An operation run detached by dist/operation-runner.js against the sandbox daemon, with the real
// job service and the sandbox's stand-in tofu: remove kvm-2 (it runs a VM). The runner is killed
// outright during the drain, and a second runner resumes it to the end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHypervisors } from '../../src/config/edit.js';
import { lockHolder } from '../../src/jobs/lock.js';
import { readJob } from '../../src/jobs/job-store.js';
import { isAlive } from '../../src/jobs/proc.js';
import { cancelOperation, createOperation, readOperation, startDetached } from '../../src/operations/operations.js';
import { REMOVE_STEP_IDS } from '../../src/operations/remove-steps.js';
import { ADD_STEP_IDS } from '../../src/operations/add-steps.js';
import type { OperationSummary } from '../../src/operations/types.js';
import { ensureSandbox, processAlive, readInfo, sandboxCommand, stopSandbox } from '../../src/sandbox/config.js';

const repoRoot = resolve(__dirname, '../..');
const distDir = join(repoRoot, 'dist');
let dir: string;
let state: string;
let configFile: string;
let daemonPid = 0;
const runners: number[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-oprun-'));
  state = join(dir, 'state');
  configFile = (await ensureSandbox({ dir, repoRoot, distDir })).configFile;
  daemonPid = readInfo(dir)!.pid;
}, 120_000);

afterAll(async () => {
  for (const p of runners) if (isAlive(p)) process.kill(p, 'SIGKILL');
  if (dir) await stopSandbox(dir);
  if (daemonPid && processAlive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, XDG_STATE_HOME: join(dir, 'xdg'), ONEDECK_JOB_RUNNER: join(distDir, 'job-runner.js') });
const stateDir = () => join(dir, 'xdg', 'onedeck');
const lockFile = () => join(stateDir(), 'mutating-job.lock');
const opts = () => ({ stateDir: stateDir(), lockFile: lockFile(), runnerScript: join(distDir, 'operation-runner.js'), env: env() });

async function until(what: string, cond: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a detached operation', () => {
  it('removes kvm-2 through a killed and a resumed runner, holding the machine lock', async () => {
    void state;
    expect((await sandboxCommand(dir, ['knob', 'migrate-ms', '4000'])).code).toBe(0);
    const op = createOperation(stateDir(), {
      kind: 'remove',
      title: 'remove kvm-2',
      hosts: ['kvm-2'],
      configFile,
      operator: { user: 'tester' },
      steps: REMOVE_STEP_IDS.map((id) => ({ id, title: id })),
    });
    await startDetached(op.id, opts());
    const read = () => readOperation(stateDir(), op.id)!;
    runners.push(read().runnerPid!);
    await until('the drain', () => read().steps.find((s) => s.id === 'drain')!.state === 'running');
    expect(lockHolder(lockFile())).toMatchObject({ jobId: op.id, kind: 'operation', user: 'tester' });
    // the operator's terminal and the runner die at once
    process.kill(read().runnerPid!, 'SIGKILL');
    await until('the runner to die', () => read().state === 'interrupted', 10_000);
    await sandboxCommand(dir, ['knob', 'migrate-ms', '300']);
    await startDetached(op.id, opts());
    runners.push(read().runnerPid!);
    await until('the end', () => !['running'].includes(read().state), 120_000);
    const s: OperationSummary = read();
    const why = s.steps.filter((x) => x.state === 'failed').map((x) => `${x.id}: ${x.message}`);
    expect({ state: s.state, why }).toEqual({ state: 'done', why: [] });
    expect(s.steps.find((x) => x.id === 'drain')!.attempts).toBe(2);
    // the real plan (stand-in tofu, through the job service) destroyed exactly kvm-2's resources
    expect(s.steps.find((x) => x.id === 'plan')!.message).toMatch(/^plan \S+: [1-9]\d* to destroy$/);
    expect(s.steps.find((x) => x.id === 'apply')!.message).toMatch(/^apply \S+ succeeded$/);
    expect(s.steps.find((x) => x.id === 'plan')!.jobIds).toHaveLength(1);
    expect(s.steps.find((x) => x.id === 'known-hosts')!.message).toMatch(/^1 line\(s\) dropped \(kvm-2, \[127\.0\.0\.13\]:\d+, 10\.16\.0\.4\)$/);
    expect(listHypervisors(readFileSync(configFile, 'utf8'))).not.toContain('kvm-2');
    expect(lockHolder(lockFile())).toBeUndefined();
    const st = (await sandboxCommand(dir, ['fail', 'list'])).message;
    expect(st).toBe('no pending fault');
  }, 240_000);

  it('adds kvm-4 with the real job service, stand-in tofu and ansible: a network fault stops it, a resume finishes it', async () => {
    expect((await sandboxCommand(dir, ['fail', 'network'])).code).toBe(0);
    const op = createOperation(stateDir(), {
      kind: 'add',
      title: 'add kvm-4',
      hosts: ['kvm-4'],
      configFile,
      operator: { user: 'tester' },
      steps: ADD_STEP_IDS.map((id) => ({ id, title: id })),
    });
    const read = () => readOperation(stateDir(), op.id)!;
    await startDetached(op.id, opts());
    runners.push(read().runnerPid!);
    await until('the network failure', () => read().state !== 'running', 180_000);
    expect(read()).toMatchObject({ state: 'failed', step: 'network' });
    expect(read().message).toMatch(/network\.yml failed/);
    await startDetached(op.id, opts());
    runners.push(read().runnerPid!);
    await until('the end', () => read().state !== 'running', 180_000);
    const s = read();
    const why = s.steps.filter((x) => x.state === 'failed').map((x) => `${x.id}: ${x.message}`);
    expect({ state: s.state, why }).toEqual({ state: 'done', why: [] });
    expect(s.steps.find((x) => x.id === 'plan')!.message).toMatch(/^plan \S+: [1-9]\d* to add$/);
    expect(s.steps.find((x) => x.id === 'monitored')!.log.at(-1)).toMatch(/^kvm-4: host \d+ MONITORED$/);
    expect(s.steps.find((x) => x.id === 'network')!.jobIds).toHaveLength(2);
  }, 400_000);

  it('cancel from another process stops the running step; a resume goes on from it', async () => {
    await sandboxCommand(dir, ['knob', 'delivery-scale', '100']);
    const op = createOperation(stateDir(), { kind: 'add', title: 'add kvm-5', hosts: ['kvm-5'], configFile, operator: { user: 'tester' }, steps: ADD_STEP_IDS.map((id) => ({ id, title: id })) });
    const read = () => readOperation(stateDir(), op.id)!;
    await startDetached(op.id, opts());
    runners.push(read().runnerPid!);
    // the stand-in tofu's apply waits for the (slowed) delivery: cancel while it runs
    const apply = () => read().steps.find((x) => x.id === 'apply')!;
    await until('the apply job', () => apply().state === 'running' && apply().jobIds.length === 1, 120_000);
    const jobId = apply().jobIds[0];
    await until('the apply job to run', () => readJob(join(stateDir(), 'jobs'), jobId).pgid !== undefined, 30_000);
    cancelOperation(stateDir(), op.id, 'tester');
    await until('the cancel', () => read().state !== 'running', 60_000);
    expect(read()).toMatchObject({ state: 'cancelled', step: 'apply' });
    expect(apply().state).toBe('cancelled');
    expect(readJob(join(stateDir(), 'jobs'), jobId).state).toBe('cancelled');
    expect(lockHolder(lockFile())).toBeUndefined();
    await sandboxCommand(dir, ['knob', 'delivery-scale', '1']);
    await startDetached(op.id, opts());
    runners.push(read().runnerPid!);
    await until('the end', () => read().state !== 'running', 180_000);
    expect(read().state).toBe('done');
  }, 400_000);
});
