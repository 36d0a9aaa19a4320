// The job watcher publishes what disabled reasons need (pending plan, lock holder, tool and
// inventory readiness) into the cluster store, and writes the store only when one of them changed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord, PlanSummary } from '../../src/domain/job.js';
import { JobWatcher, lockHolderOf, pendingPlanOf } from '../../src/jobs/job-watcher.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { createClusterStore } from '../../src/store/cluster-store.js';

const PLAN: PlanSummary = { add: 1, change: 0, destroy: 1, diagnostics: [], resources: [{ addr: 'a.b["x"]', action: 'create' }, { addr: 'a.b["y"]', action: 'replace' }] };
const job = (id: string, over: Partial<JobRecord> = {}): JobRecord => ({
  id, kind: 'plan', title: 'tofu plan', command: 'tofu plan', mutating: true, user: 'alice', startedAt: 1, state: 'succeeded', logFile: '', ...over,
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('what the watcher publishes', () => {
  it('the pending plan: the newest successful plan with changes whose plan file exists, until an apply', () => {
    const has = () => true;
    expect(pendingPlanOf([job('p2', { plan: PLAN }), job('p1', { plan: PLAN })], has)).toEqual({ jobId: 'p2', add: 1, change: 0, destroy: 1, destroys: ['a.b["y"]'] });
    expect(pendingPlanOf([job('p2', { plan: { ...PLAN, destroys: ['z'] } })], has)?.destroys).toEqual(['z']);
    expect(pendingPlanOf([job('a1', { kind: 'apply' }), job('p1', { plan: PLAN })], has)).toBeUndefined();
    expect(pendingPlanOf([job('p1', { plan: { ...PLAN, add: 0, destroy: 0 } })], has)).toBeUndefined();
    expect(pendingPlanOf([job('p1', { plan: PLAN, state: 'failed' })], has)).toBeUndefined();
    expect(pendingPlanOf([job('p1', { plan: PLAN })], () => false)).toBeUndefined();
    expect(pendingPlanOf([job('d1', { kind: 'deploy' }), job('p1', { plan: PLAN })], has)?.jobId).toBe('p1');
  });

  it('the lock holder: the lock file, else the running mutating job', () => {
    const jobs = [job('d1', { kind: 'deploy', title: 'OneDeploy', state: 'running', user: 'bob', from: '10.0.0.7' })];
    expect(lockHolderOf(undefined, jobs)).toEqual({ jobId: 'd1', kind: 'deploy', title: 'OneDeploy', user: 'bob', from: '10.0.0.7' });
    const lock = { jobId: 'd1', kind: 'deploy', pid: 1, user: 'carol', host: 'h', startedAt: 1, command: 'ansible-playbook' };
    expect(lockHolderOf(lock, jobs)).toEqual({ jobId: 'd1', kind: 'deploy', title: 'OneDeploy', user: 'carol' });
    expect(lockHolderOf(undefined, [job('p1')])).toBeUndefined();
  });

  it('writes the store only when a published value changed; looks for tools at most every toolCheckMs', () => {
    dir = mkdtempSync(join(tmpdir(), 'watcher-'));
    const jobsDir = join(dir, 'jobs');
    mkdirSync(join(jobsDir, '20261127-140000-plan-aaaa'), { recursive: true });
    const id = '20261127-140000-plan-aaaa';
    writeFileSync(join(jobsDir, id, 'status.json'), JSON.stringify(job(id)));
    writeFileSync(join(jobsDir, id, 'plan-summary.json'), JSON.stringify({ ...PLAN, drift: [], destroys: ['a.b["y"]'], complete: true }));
    writeFileSync(join(jobsDir, id, 'plan.tfplan'), 'plan');
    const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: false, configFile: null, refreshSeconds: 10 });
    let writes = 0;
    cluster.subscribe(() => void writes++);
    let toolLooks = 0;
    let inventory: string | undefined = 'no servers yet';
    const w = new JobWatcher({
      jobsDir, lockFile: join(dir, 'lock'), cluster, logHub: new LogHub(cluster),
      toolProblems: () => (toolLooks++, { tofu: 'no tofu' }), toolCheckMs: 60_000, inventoryProblem: () => inventory,
    });
    w.refresh();
    expect(writes).toBe(1);
    expect(cluster.getState()).toMatchObject({
      pendingPlan: { jobId: id, destroys: ['a.b["y"]'] }, toolProblems: { tofu: 'no tofu' }, inventoryProblem: 'no servers yet',
    });
    expect(cluster.getState().jobs[0].plan?.destroys).toEqual(['a.b["y"]']);
    expect(cluster.getState().lockHolder).toBeUndefined();
    for (let i = 0; i < 5; i++) w.refresh();
    expect(writes).toBe(1); // nothing changed: no store write, no re-render
    expect(toolLooks).toBe(1);
    inventory = undefined;
    rmSync(join(jobsDir, id, 'plan.tfplan'));
    w.refresh();
    expect(writes).toBe(2); // both changes in one write
    expect(cluster.getState().pendingPlan).toBeUndefined();
    expect(cluster.getState().inventoryProblem).toBeUndefined();
    w.stop();
  });
});
