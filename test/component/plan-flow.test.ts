// After a plan: the session is told what to press next, `a` says why there is nothing to apply,
// and the plan review offers apply only when there is something to apply.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobService } from '../../src/services.js';
import type { JobRecord, PlanSummary } from '../../src/domain/job.js';
import { KEY } from '../harness/fake-tty.js';
import { showsOn, waitFor } from '../harness/wait.js';
import { makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const screen = () => rig!.tty.screen.text();
const footer = () => screen().split('\n').filter((l) => l.trim()).pop() ?? '';
const shows = showsOn(screen);

const NONE: PlanSummary = { add: 0, change: 0, destroy: 0, resources: [], diagnostics: [] };
const SOME: PlanSummary = { add: 2, change: 0, destroy: 1, resources: [{ addr: 'scaleway_baremetal_server.host["kvm-4"]', action: 'create' }, { addr: 'scaleway_ipam_ip.x', action: 'create' }, { addr: 'scaleway_flexible_ip.fip["kvm-9"]', action: 'delete' }], diagnostics: [] };

/** a job service whose plan jobs show up in the cluster store like the watcher would put them */
function fakeJobs(): JobService {
  return {
    plan: async () => {
      rig!.cluster.setState({ jobs: [makeJob('p1', { kind: 'plan', title: 'tofu plan', state: 'running' }), ...rig!.cluster.getState().jobs] });
      return 'p1';
    },
    apply: async () => 'a1',
    playbook: async (k) => `j-${k}`,
    cancel: async () => {},
    saveLog: async () => '/tmp/x.log',
  };
}

function finish(id: string, over: Partial<JobRecord>): void {
  const jobs = rig!.cluster.getState().jobs.map((j) => (j.id === id ? { ...j, state: 'succeeded' as const, endedAt: rig!.clock(), exitCode: 0, ...over } : j));
  rig!.cluster.setState({ jobs });
}

describe.each([
  [80, 24],
  [200, 50],
])('plan flow at %ix%i', (columns, rows) => {
  it('a plan with changes that finishes says "o to review, a to apply", and the footer keeps both keys', async () => {
    rig = startRig({ columns, rows, jobs: fakeJobs() });
    await shows('kvm-3');
    rig.stdin.press('p');
    await shows('plan started: job p1');
    // the watcher publishes the pending plan along with the finished job
    rig.cluster.setState({ pendingPlan: { jobId: 'p1', add: 2, change: 0, destroy: 1, destroys: ['scaleway_flexible_ip.fip["kvm-9"]'] } });
    finish('p1', { plan: SOME, summary: 'Plan: 2 to add, 0 to change, 1 to destroy.' });
    await shows('plan ready (2 to add, 0 to change, 1 to destroy): o to review, a to apply');
    rig.ui.setState({ flash: undefined });
    await waitFor(() => /o (plan )?review/.test(footer()) && /a (tofu )?apply/.test(footer()), `footer with o and a\n${footer()}`);
    rig.stdin.press('o');
    await shows('Plan review · job p1');
    expect(screen()).toContain('scaleway_flexible_ip.fip["kvm-9"]');
    expect(screen()).toMatch(/press a to apply this plan/);
  });

  it('a plan without changes says so when it ends, when a is pressed and in the review', async () => {
    rig = startRig({ columns, rows, jobs: fakeJobs() });
    await shows('kvm-3');
    rig.stdin.press('p');
    await shows('plan started: job p1');
    finish('p1', { plan: NONE, summary: 'Plan: 0 to add, 0 to change, 0 to destroy.' });
    await shows('plan p1: no changes, nothing to apply');
    rig.stdin.press('a');
    await shows('has no changes: nothing to apply');
    expect(screen()).not.toContain('press p first');
    rig.stdin.press('o');
    await shows('Plan review · job p1');
    expect(screen()).toContain('No changes');
    expect(screen()).not.toMatch(/press a to/);
    expect(screen()).toContain('nothing to apply');
  });
});

it('a failed plan and an applied plan each give their own reason for a', async () => {
  rig = startRig({ columns: 120, rows: 30, jobs: fakeJobs() });
  await shows('kvm-3');
  rig.stdin.press('a');
  await shows('no plan to apply: press p first');
  rig.cluster.setState({ jobs: [makeJob('p2', { kind: 'plan', state: 'failed', exitCode: 1 })] });
  rig.stdin.press('a');
  await shows('the last plan (job p2) failed: press p to plan again');
  rig.cluster.setState({ jobs: [makeJob('a3', { kind: 'apply', state: 'succeeded' }), makeJob('p2', { kind: 'plan', state: 'succeeded', plan: SOME })] });
  rig.stdin.press(KEY.escape);
  rig.stdin.press('a');
  await shows('the last plan was applied: press p for a new plan');
});
