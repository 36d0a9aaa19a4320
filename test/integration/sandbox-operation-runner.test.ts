// Operations run detached by dist/operation-runner.js against the sandbox daemon, with the real
// job service, the real terraform (the sandbox's provider) and the stand-in ansible: remove kvm-2
// through a killed runner; add kvm-4 through a network fault; add kvm-5 through a cancel made
// while terraform waits for its server (tainted), resumed to the end. A timeout prints the journal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listHypervisors } from '../../src/config/edit.js';
import { lockHolder } from '../../src/jobs/lock.js';
import { readJob } from '../../src/jobs/job-store.js';
import { cancelOperation, createOperation, readOperation, startDetached } from '../../src/operations/operations.js';
import { REMOVE_STEP_IDS } from '../../src/operations/remove-steps.js';
import { ADD_STEP_IDS } from '../../src/operations/add-steps.js';
import type { OperationSummary } from '../../src/operations/types.js';
import { stateFile } from '../../src/sandbox/state.js';
import { sandboxCommand } from '../../src/sandbox/config.js';
import { useBuiltSandbox } from '../harness/sandbox-fixture.js';

const sb = useBuiltSandbox('onedeck-sbx-oprun-');
const distDir = sb.distDir;

const env = () => ({ ...process.env, XDG_STATE_HOME: join(sb.dir, 'xdg'), ONEDECK_JOB_RUNNER: join(distDir, 'job-runner.js') });
const stateDir = () => join(sb.dir, 'xdg', 'onedeck');
const lockFile = () => join(stateDir(), 'mutating-job.lock');
const opts = () => ({ stateDir: stateDir(), lockFile: lockFile(), runnerScript: join(distDir, 'operation-runner.js'), env: env() });

/** What an operation did, for a failure message: each step's state, message, jobs (with their
 * summaries and last output lines) and last progress lines. */
function describeOperation(id: string): string {
  const s = readOperation(stateDir(), id);
  if (!s) return `operation ${id}: no journal`;
  const jobsDir = join(stateDir(), 'jobs');
  const job = (j: string) => {
    try {
      const r = readJob(jobsDir, j);
      const out = (() => {
        try {
          return readFileSync(join(jobsDir, j, 'output.log'), 'utf8').trim().split('\n').slice(-8);
        } catch {
          return [];
        }
      })();
      return [`      job ${j} ${r.kind} ${r.state}${r.summary ? `: ${r.summary}` : ''}`, ...out.map((l) => `        | ${l}`)];
    } catch (e) {
      return [`      job ${j}: ${(e as Error).message}`];
    }
  };
  const lines = [`operation ${s.id} ${s.state}${s.step ? ` at ${s.step}` : ''}${s.message ? `: ${s.message}` : ''} (runner pid ${s.runnerPid ?? '-'})`];
  for (const st of s.steps) {
    if (st.state === 'pending') continue;
    lines.push(`  ${st.id} ${st.state} ×${st.attempts}${st.message ? `: ${st.message}` : ''}`);
    for (const l of st.log.slice(-5)) lines.push(`    log: ${l}`);
    for (const j of st.jobIds) lines.push(...job(j));
  }
  return lines.join('\n');
}

/** The sandbox's Scaleway servers of `host` (its state file, as the daemon last wrote it). */
const sandboxServers = (host: string): { id: string; status: string }[] =>
  (JSON.parse(readFileSync(stateFile(sb.dir), 'utf8')) as { servers: { id: string; status: string; tags: string[] }[] }).servers.filter((x) => x.tags.includes(`host=${host}`));

/** Wait for `cond`; on timeout the error names what was awaited and what the operation did. */
async function until(what: string, cond: () => boolean, ms = 90_000, opId?: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${opId ? `\n${describeOperation(opId)}` : ''}`);
}

describe('a detached operation', () => {
  it('removes kvm-2 through a killed and a resumed runner, holding the machine lock', async () => {
    expect((await sandboxCommand(sb.dir, ['knob', 'migrate-ms', '4000'])).code).toBe(0);
    const op = createOperation(stateDir(), {
      kind: 'remove',
      title: 'remove kvm-2',
      hosts: ['kvm-2'],
      configFile: sb.configFile,
      operator: { user: 'tester' },
      steps: REMOVE_STEP_IDS.map((id) => ({ id, title: id })),
    });
    await startDetached(op.id, opts());
    const read = () => readOperation(stateDir(), op.id)!;
    sb.track(read().runnerPid!);
    await until('the drain', () => read().steps.find((s) => s.id === 'drain')!.state === 'running', 90_000, op.id);
    expect(lockHolder(lockFile())).toMatchObject({ jobId: op.id, kind: 'operation', user: 'tester' });
    // the operator's terminal and the runner die at once
    process.kill(read().runnerPid!, 'SIGKILL');
    await until('the runner to die', () => read().state === 'interrupted', 10_000, op.id);
    await sandboxCommand(sb.dir, ['knob', 'migrate-ms', '300']);
    await startDetached(op.id, opts());
    sb.track(read().runnerPid!);
    await until('the end', () => !['running'].includes(read().state), 120_000, op.id);
    const s: OperationSummary = read();
    const why = s.steps.filter((x) => x.state === 'failed').map((x) => `${x.id}: ${x.message}`);
    expect({ state: s.state, why }).toEqual({ state: 'done', why: [] });
    expect(s.steps.find((x) => x.id === 'drain')!.attempts).toBe(2);
    // the real plan (terraform and the sandbox provider, through the job service) destroyed exactly kvm-2's resources
    expect(s.steps.find((x) => x.id === 'plan')!.message).toMatch(/^plan \S+: [1-9]\d* to destroy$/);
    expect(s.steps.find((x) => x.id === 'apply')!.message).toMatch(/^apply \S+ succeeded$/);
    expect(s.steps.find((x) => x.id === 'plan')!.jobIds).toHaveLength(1);
    expect(s.steps.find((x) => x.id === 'known-hosts')!.message).toMatch(/^1 line\(s\) dropped \(kvm-2, \[127\.0\.0\.13\]:\d+, 10\.16\.0\.4\)$/);
    expect(listHypervisors(readFileSync(sb.configFile, 'utf8'))).not.toContain('kvm-2');
    expect(lockHolder(lockFile())).toBeUndefined();
    const st = (await sandboxCommand(sb.dir, ['fail', 'list'])).message;
    expect(st).toBe('no pending fault');
  }, 240_000);

  it('adds kvm-4 with the real job service, stand-in tofu and ansible: a network fault stops it, a resume finishes it', async () => {
    expect((await sandboxCommand(sb.dir, ['fail', 'network'])).code).toBe(0);
    const op = createOperation(stateDir(), {
      kind: 'add',
      title: 'add kvm-4',
      hosts: ['kvm-4'],
      configFile: sb.configFile,
      operator: { user: 'tester' },
      steps: ADD_STEP_IDS.map((id) => ({ id, title: id })),
    });
    const read = () => readOperation(stateDir(), op.id)!;
    await startDetached(op.id, opts());
    sb.track(read().runnerPid!);
    await until('the network failure', () => read().state !== 'running', 180_000, op.id);
    expect(read()).toMatchObject({ state: 'failed', step: 'network' });
    expect(read().message).toMatch(/network\.yml failed/);
    await startDetached(op.id, opts());
    sb.track(read().runnerPid!);
    await until('the end', () => read().state !== 'running', 180_000, op.id);
    const s = read();
    const why = s.steps.filter((x) => x.state === 'failed').map((x) => `${x.id}: ${x.message}`);
    expect({ state: s.state, why }).toEqual({ state: 'done', why: [] });
    expect(s.steps.find((x) => x.id === 'plan')!.message).toMatch(/^plan \S+: [1-9]\d* to add$/);
    expect(s.steps.find((x) => x.id === 'monitored')!.log.at(-1)).toMatch(/^kvm-4: host \d+ MONITORED$/);
    expect(s.steps.find((x) => x.id === 'network')!.jobIds).toHaveLength(2);
  }, 400_000);

  it('cancel from another process stops the running step; a resume goes on from it', async () => {
    await sandboxCommand(sb.dir, ['knob', 'delivery-scale', '100']);
    const op = createOperation(stateDir(), { kind: 'add', title: 'add kvm-5', hosts: ['kvm-5'], configFile: sb.configFile, operator: { user: 'tester' }, steps: ADD_STEP_IDS.map((id) => ({ id, title: id })) });
    const read = () => readOperation(stateDir(), op.id)!;
    await startDetached(op.id, opts());
    sb.track(read().runnerPid!);
    // terraform waits for the (slowed) delivery of the server it created: cancel while it waits
    const apply = () => read().steps.find((x) => x.id === 'apply')!;
    await until('the apply job', () => apply().state === 'running' && apply().jobIds.length === 1, 120_000, op.id);
    const jobId = apply().jobIds[0];
    await until('the apply job to run', () => readJob(join(stateDir(), 'jobs'), jobId).pgid !== undefined, 30_000, op.id);
    // terraform has created the server and waits for its delivery: the hard case, every time
    await until('kvm-5 delivering', () => sandboxServers('kvm-5').some((x) => x.status === 'delivering'), 120_000, op.id);
    cancelOperation(stateDir(), op.id, 'tester');
    await until('the cancel', () => read().state !== 'running', 60_000, op.id);
    expect(read()).toMatchObject({ state: 'cancelled', step: 'apply' });
    expect(apply().state).toBe('cancelled');
    expect(readJob(join(stateDir(), 'jobs'), jobId).state).toBe('cancelled');
    expect(lockHolder(lockFile())).toBeUndefined();
    await sandboxCommand(sb.dir, ['knob', 'delivery-scale', '1']);
    await startDetached(op.id, opts());
    sb.track(read().runnerPid!);
    await until('the end', () => read().state !== 'running', 180_000, op.id);
    expect({ state: read().state, why: describeOperation(op.id) }).toMatchObject({ state: 'done' });
    // the stopped create left the server tainted: the resume planned again and replaced it
    expect(apply().message).toMatch(/^apply \S+ succeeded$/);
    // its jobs: the cancelled apply, the new (checked) plan, the apply of that plan
    expect(apply().jobIds.map((j) => readJob(join(stateDir(), 'jobs'), j).kind)).toEqual(['apply', 'plan', 'apply']);
    expect(sandboxServers('kvm-5')).toHaveLength(1);
  }, 400_000);
});
