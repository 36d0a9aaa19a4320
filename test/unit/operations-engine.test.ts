import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockHolder } from '../../src/jobs/lock.js';
import { runOperation, readSummary } from '../../src/operations/engine.js';
import { appendRecord, journalFile, readRecords } from '../../src/operations/journal.js';
import { abandonOperation, cancelOperation, createOperation, listOperations, machineLock, startDetached } from '../../src/operations/operations.js';
import type { StepDef } from '../../src/operations/types.js';
import { FakeJobs, noLock, until } from './operations-fakes.js';

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'onedeck-ops-'));
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

const spec = (ids: string[]) => ({
  kind: 'add' as const,
  title: 'add kvm-4',
  hosts: ['kvm-4'],
  configFile: '/nowhere/onedeck.yaml',
  operator: { user: 'alice', from: '192.0.2.7' },
  steps: ids.map((id) => ({ id, title: `step ${id}` })),
});

/** Steps that record what ran; `fail` makes a step's act throw while it is set. */
function recorder(ids: string[]) {
  const ran: string[] = [];
  const checked: string[] = [];
  const fail = new Set<string>();
  const done = new Set<string>();
  const steps: StepDef[] = ids.map((id) => ({
    id,
    title: `step ${id}`,
    async check() {
      checked.push(id);
      return done.has(id);
    },
    async act() {
      ran.push(id);
      if (fail.has(id)) throw new Error(`${id} broke`);
      done.add(id);
      return { data: { from: id } };
    },
  }));
  return { ran, checked, fail, done, steps };
}

describe('operations engine', () => {
  it('runs every step in order and journals each transition with its timing', async () => {
    const op = createOperation(state, spec(['a', 'b', 'c']));
    const r = recorder(['a', 'b', 'c']);
    let t = 1000;
    const s = await runOperation({ dir: join(state, 'operations', op.id), steps: r.steps, jobs: new FakeJobs(), lock: noLock, now: () => (t += 1000) });
    expect(r.ran).toEqual(['a', 'b', 'c']);
    expect(s.state).toBe('done');
    expect(s.steps.map((x) => x.state)).toEqual(['done', 'done', 'done']);
    expect(s.steps[0].startedAt).toBeLessThan(s.steps[0].endedAt!);
    expect(s.message).toMatch(/^done in \d+ s$/);
    const kinds = readRecords(join(state, 'operations', op.id)).map((x) => (x.t === 'step' ? `${x.step}:${x.state}` : x.t));
    expect(kinds).toEqual(['created', 'run', 'a:running', 'a:done', 'b:running', 'b:done', 'c:running', 'c:done', 'end']);
    expect(listOperations(state).map((x) => x.id)).toEqual([op.id]);
  });

  it('stops at a failure and resumes from the failed step, with earlier outputs', async () => {
    const op = createOperation(state, spec(['a', 'b', 'c']));
    const dir = join(state, 'operations', op.id);
    const r = recorder(['a', 'b', 'c']);
    r.fail.add('b');
    let s = await runOperation({ dir, steps: r.steps, jobs: new FakeJobs(), lock: noLock });
    expect(s.state).toBe('failed');
    expect(s.step).toBe('b');
    expect(s.steps.map((x) => x.state)).toEqual(['done', 'failed', 'pending']);
    expect(s.steps[1].message).toBe('b broke');
    r.fail.clear();
    let seen: unknown;
    r.steps[2].act = async (ctx) => {
      seen = ctx.outputs.a;
      return {};
    };
    s = await runOperation({ dir, steps: r.steps, jobs: new FakeJobs(), lock: noLock });
    expect(s.state).toBe('done');
    expect(r.ran).toEqual(['a', 'b', 'b']);
    expect(seen).toEqual({ from: 'a' });
    expect(r.checked).toEqual(['a', 'b', 'b', 'c']); // a is not checked again after it was done
  });

  it('a step found running after a crash is checked, then run again (or found done)', async () => {
    const op = createOperation(state, spec(['a', 'b']));
    const dir = join(state, 'operations', op.id);
    // a runner (pid that cannot exist) died in the middle of b
    appendRecord(dir, { t: 'run', at: 1, pid: 2 ** 22 + 12345, resume: false });
    appendRecord(dir, { t: 'step', at: 2, step: 'a', state: 'running' });
    appendRecord(dir, { t: 'step', at: 3, step: 'a', state: 'done' });
    appendRecord(dir, { t: 'step', at: 4, step: 'b', state: 'running' });
    appendFileSync(journalFile(dir), '{"t":"log","at":5,"st'); // torn last write
    expect(readSummary(dir)!.state).toBe('interrupted');
    const r = recorder(['a', 'b']);
    r.done.add('b'); // b's effect landed before the crash
    const s = await runOperation({ dir, steps: r.steps, jobs: new FakeJobs(), lock: noLock });
    expect(s.state).toBe('done');
    expect(r.checked).toEqual(['b']);
    expect(r.ran).toEqual([]);
    expect(s.steps[1].message).toBe('already done');
  });

  it('frees the lock before it records the end: whoever sees it ended (and resumes it) finds the lock free', async () => {
    for (const failing of [false, true]) {
      const op = createOperation(state, spec(['a', 'b']));
      const dir = join(state, 'operations', op.id);
      const r = recorder(['a', 'b']);
      if (failing) r.fail.add('b');
      let held = false;
      const seenAtEnd: boolean[] = [];
      const lock = {
        acquire: () => void (held = true),
        release: () => {
          // the journal must not say the operation ended while the lock is still held
          seenAtEnd.push(readSummary(dir)!.state === 'running');
          held = false;
        },
      };
      const s = await runOperation({ dir, steps: r.steps, jobs: new FakeJobs(), lock });
      expect(s.state).toBe(failing ? 'failed' : 'done');
      expect(held).toBe(false);
      expect(seenAtEnd).toEqual([true]);
    }
  });

  it('an interrupted job step waits for its job instead of starting another', async () => {
    const op = createOperation(state, spec(['plan']));
    const dir = join(state, 'operations', op.id);
    const jobs = new FakeJobs();
    jobs.onStart = () => {};
    const first = await jobs.start({ kind: 'plan', hypervisors: [] });
    appendRecord(dir, { t: 'run', at: 1, pid: 2 ** 22 + 12346, resume: false });
    appendRecord(dir, { t: 'step', at: 2, step: 'plan', state: 'running' });
    appendRecord(dir, { t: 'job', at: 3, step: 'plan', jobId: first });
    const steps: StepDef[] = [{ id: 'plan', title: 'plan', act: async (ctx) => ({ data: (await ctx.runJob({ kind: 'plan', hypervisors: [] })).id }) }];
    const p = runOperation({ dir, steps, jobs, lock: noLock });
    await until(() => readRecords(dir).filter((x) => x.t === 'run').length === 2, 'the resume');
    jobs.jobs[0].finish();
    const s = await p;
    expect(jobs.jobs).toHaveLength(1);
    expect(s.steps[0]).toMatchObject({ state: 'done', data: first, jobIds: [first] });
  });

  it('a step that failed after its job succeeded (a plan the check refused) runs a new job when resumed', async () => {
    // the drift the check refused is fixed meanwhile: checking the old plan again would fail again
    const op = createOperation(state, spec(['plan']));
    const dir = join(state, 'operations', op.id);
    const jobs = new FakeJobs();
    let refuse = true;
    const steps: StepDef[] = [
      {
        id: 'plan',
        title: 'plan',
        act: async (ctx) => {
          const out = await ctx.runJob({ kind: 'plan', hypervisors: [] });
          if (refuse) throw new Error(`plan ${out.id} would touch more than it should`);
          return { data: out.id };
        },
      },
    ];
    const failed = await runOperation({ dir, steps, jobs, lock: noLock });
    expect(failed).toMatchObject({ state: 'failed', step: 'plan' });
    refuse = false;
    const s = await runOperation({ dir, steps, jobs, lock: noLock });
    expect(jobs.jobs.map((j) => j.id)).toEqual(['job-1-plan', 'job-2-plan']);
    expect(s.steps[0]).toMatchObject({ state: 'done', data: 'job-2-plan', jobIds: ['job-1-plan', 'job-2-plan'] });
  });

  it('an interrupted step whose job still runs waits for it even when its check already sees the effect', async () => {
    // an apply killed with its runner: the server exists already (the check says done) but the
    // apply job still runs and holds the operation's job lock; the next step must not start yet
    const op = createOperation(state, spec(['apply', 'network']));
    const dir = join(state, 'operations', op.id);
    const jobs = new FakeJobs();
    jobs.onStart = () => {};
    const first = await jobs.start({ kind: 'apply', planJobId: 'p' });
    appendRecord(dir, { t: 'run', at: 1, pid: 2 ** 22 + 12347, resume: false });
    appendRecord(dir, { t: 'step', at: 2, step: 'apply', state: 'running' });
    appendRecord(dir, { t: 'job', at: 3, step: 'apply', jobId: first });
    const started: string[] = [];
    const steps: StepDef[] = [
      { id: 'apply', title: 'apply', check: async () => ({ message: 'the servers exist already' }), act: async (ctx) => ({ data: (await ctx.runJob({ kind: 'apply', planJobId: 'p' })).id }) },
      { id: 'network', title: 'network', act: async () => void started.push('network') },
    ];
    const p = runOperation({ dir, steps, jobs, lock: noLock });
    await until(() => readRecords(dir).some((x) => x.t === 'log' && x.line.includes('outlived the runner')), 'the wait for the job');
    expect(started).toEqual([]);
    jobs.jobs[0].finish();
    const s = await p;
    expect(started).toEqual(['network']);
    expect(jobs.jobs).toHaveLength(1);
    expect(s.steps[0]).toMatchObject({ state: 'done', data: first });
  });

  it('cancel cancels the running step\'s job and shows the operation cancelled at that step', async () => {
    const op = createOperation(state, spec(['apply', 'after']));
    const dir = join(state, 'operations', op.id);
    const jobs = new FakeJobs();
    jobs.onStart = () => {};
    const ac = new AbortController();
    const after = recorder(['after']);
    const steps: StepDef[] = [{ id: 'apply', title: 'apply', act: async (ctx) => void (await ctx.runJob({ kind: 'apply', planJobId: 'p1' })) }, ...after.steps];
    const p = runOperation({ dir, steps, jobs, lock: noLock, signal: ac.signal });
    await until(() => jobs.jobs.length === 1, 'the apply job');
    ac.abort();
    const s = await p;
    expect(jobs.cancelled).toEqual([jobs.jobs[0].id]);
    expect(s.state).toBe('cancelled');
    expect(s.step).toBe('apply');
    expect(s.steps.map((x) => x.state)).toEqual(['cancelled', 'pending']);
    expect(after.ran).toEqual([]);
    expect(s.steps[0].jobIds).toEqual([jobs.jobs[0].id]);
  });

  it('holds the machine-wide lock in its name and its operator\'s while it runs', async () => {
    const op = createOperation(state, spec(['a']));
    const dir = join(state, 'operations', op.id);
    const lockFile = join(state, 'mutating-job.lock');
    let during: ReturnType<typeof lockHolder>;
    const steps: StepDef[] = [{ id: 'a', title: 'a', act: async () => void (during = lockHolder(lockFile)) }];
    await runOperation({ dir, steps, jobs: new FakeJobs(), lock: machineLock(lockFile, op.spec) });
    expect(during).toMatchObject({ jobId: op.id, kind: 'operation', user: 'alice', from: '192.0.2.7', command: 'add kvm-4', pid: process.pid });
    expect(lockHolder(lockFile)).toBeUndefined();
  });

  it('a runner that cannot start (a broken onedeck.yaml) is named with what it said', async () => {
    const op = createOperation(state, spec(['a']));
    const script = join(state, 'broken-runner.mjs');
    writeFileSync(script, "process.stderr.write('operation-runner: /x/onedeck.yaml:3:14: this is not valid YAML\\nFix the YAML syntax\\n'); process.exit(1);\n");
    await expect(startDetached(op.id, { stateDir: state, lockFile: join(state, 'lock'), runnerScript: script, startTimeoutMs: 5000 })).rejects.toThrow(
      `operation ${op.id}: its runner did not start: /x/onedeck.yaml:3:14: this is not valid YAML`,
    );
  });

  it('refuses to run while another holds the lock, journal untouched', async () => {
    const op = createOperation(state, spec(['a']));
    const dir = join(state, 'operations', op.id);
    const lockFile = join(state, 'mutating-job.lock');
    const other = createOperation(state, { ...spec(['x']), title: 'remove kvm-2' });
    const held = machineLock(lockFile, other.spec);
    held.acquire();
    const before = readFileSync(journalFile(dir), 'utf8');
    await expect(runOperation({ dir, steps: recorder(['a']).steps, jobs: new FakeJobs(), lock: machineLock(lockFile, op.spec) })).rejects.toThrow(/another mutating job is running: job op-.* \(operation\) started by alice/);
    expect(readFileSync(journalFile(dir), 'utf8')).toBe(before);
    held.release();
  });

  it('cancel of an operation whose runner is gone marks it cancelled; abandon ends it for good', async () => {
    const op = createOperation(state, spec(['a', 'b']));
    const dir = join(state, 'operations', op.id);
    appendRecord(dir, { t: 'run', at: 1, pid: 2 ** 22 + 12347, resume: false });
    appendRecord(dir, { t: 'step', at: 2, step: 'a', state: 'running' });
    const c = cancelOperation(state, op.id, 'bob');
    expect(c).toMatchObject({ state: 'cancelled', step: 'a' });
    expect(c.steps[0].state).toBe('cancelled');
    const a = abandonOperation(state, op.id);
    expect(a.state).toBe('abandoned');
    const r = recorder(['a', 'b']);
    expect((await runOperation({ dir, steps: r.steps, jobs: new FakeJobs(), lock: noLock })).state).toBe('abandoned');
    expect(r.ran).toEqual([]);
  });
});

describe('following a journal', () => {
  it('gets every record as it is appended, and the summary once the operation ends', async () => {
    const { followOperation, recordLine } = await import('../../src/operations/follow.js');
    const op = createOperation(state, spec(['a', 'b']));
    const dir = join(state, 'operations', op.id);
    const seen: string[] = [];
    const follow = followOperation(dir, (r) => void seen.push(recordLine(r, { a: 'step a' })!), { pollMs: 5 });
    await until(() => seen.length === 1, 'the created record');
    const r = recorder(['a', 'b']);
    r.fail.add('b');
    await runOperation({ dir, steps: r.steps, jobs: new FakeJobs(), lock: noLock });
    const s = await follow;
    expect(s?.state).toBe('failed');
    expect(seen.map((l) => l.slice(9))).toEqual([
      'add kvm-4: 2 steps',
      `started (runner pid ${process.pid})`,
      'step a: running',
      'step a: done',
      'b: running',
      'b: failed — b broke',
      'failed at b: b broke',
    ]);
  });
});
