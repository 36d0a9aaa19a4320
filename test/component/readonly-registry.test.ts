// Issue 11, Tests: enumerate the registry and prove that no mutating action runs in a read-only
// session, by its key and by its `:` command (the headless front end, `onedeck run`, is proven in
// test/e2e/readonly-random-keys.test.ts). Every action is made runnable first (a pending plan,
// a running job, tools and inventory in place), so only read-only stands in the way; the same
// keys in a writable session do reach the job service, so the test can tell.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobService } from '../../src/services.js';
import { hostActions } from '../../src/actions/host-actions.js';
import { KEY } from '../harness/fake-tty.js';
import { waitFor } from '../harness/wait.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

function spyJobs() {
  const calls: string[] = [];
  const rec = (name: string) => vi.fn(async () => (calls.push(name), `job-${name}`));
  const jobs: JobService = {
    init: rec('init'), plan: rec('plan'), apply: rec('apply'), playbook: rec('playbook'),
    cancel: vi.fn(async () => void calls.push('cancel')), saveLog: rec('saveLog'),
  };
  return { jobs, calls };
}

function runnable(r: Rig): void {
  addJob(r.cluster, makeJob('20261201-100000-plan-aaaa', { kind: 'plan', state: 'succeeded', plan: { add: 1, change: 0, destroy: 0, resources: [], diagnostics: [] } }));
  addJob(r.cluster, makeJob('20261201-100500-deploy-bbbb', { state: 'running' }));
  r.cluster.setState({
    pendingPlan: { jobId: '20261201-100000-plan-aaaa', add: 1, change: 0, destroy: 0, destroys: [] },
    toolProblems: {},
    inventoryProblem: undefined,
  });
}

describe('a read-only session runs no mutating action of the registry', () => {
  it('the registry has the mutating actions this test covers', () => {
    const { jobs } = spyJobs();
    rig = startRig({ readonly: true, jobs, extra: hostActions() });
    const ids = rig.registry.all().filter((d) => d.mutating).map((d) => d.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['apply', 'cancel', 'deploy', 'hooks', 'init', 'network', 'plan', 'validate']));
  });

  it('by key: every mutating key is refused and says so; nothing reaches the job service', async () => {
    const { jobs, calls } = spyJobs();
    rig = startRig({ columns: 160, rows: 40, readonly: true, jobs, extra: hostActions() });
    runnable(rig);
    await rig.shows('kvm-3');
    const keyed = rig.registry.all().filter((d) => d.mutating && d.keys.length);
    expect(keyed.length).toBeGreaterThanOrEqual(6);
    for (const def of keyed) {
      for (const key of def.keys) {
        rig.ui.setState({ flash: undefined });
        rig.stdin.press(key);
        await rig.shows('this session is read-only');
        // had a y/N question been asked, this would answer it (the pending plan destroys nothing)
        rig.stdin.press('y');
        await rig.idle();
        expect(rig.ui.getState().prompt).toBeUndefined();
        expect(calls, `key ${key} (${def.id})`).toEqual([]);
      }
    }
  });

  it('by `:` command: every mutating action typed on the command line is refused', async () => {
    const { jobs, calls } = spyJobs();
    rig = startRig({ columns: 160, rows: 40, readonly: true, jobs, extra: hostActions() });
    runnable(rig);
    await rig.shows('kvm-3');
    for (const def of rig.registry.all().filter((d) => d.mutating)) {
      rig.ui.setState({ flash: undefined });
      rig.stdin.press(`:${def.id}`);
      await rig.shows(`:${def.id}`);
      rig.stdin.press(KEY.enter);
      await rig.shows('this session is read-only');
      rig.stdin.press('y');
      await rig.idle();
      expect(calls, `:${def.id}`).toEqual([]);
    }
  });

  it('control: the same keys in a writable session do reach the job service', async () => {
    const { jobs, calls } = spyJobs();
    rig = startRig({ columns: 160, rows: 40, jobs, extra: hostActions() });
    runnable(rig);
    await rig.shows('kvm-3');
    rig.stdin.press('a');
    await rig.shows('apply plan');
    rig.stdin.press('y');
    await rig.idle();
    await waitFor(() => calls.includes('apply'), 'the apply to reach the job service');
  });
});
