// `a` on the plan review (issue 12 #5): once the apply starts, the session goes to its log
// instead of staying on the review, where `a` would only say "another job is running".
import { afterEach, expect, it } from 'vitest';
import type { JobService } from '../../src/services.js';
import { currentScreen } from '../../src/store/ui-store.js';
import { waitFor } from '../harness/wait.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

function fakeJobs(): JobService {
  return {
    plan: async () => 'p1',
    apply: async () => {
      addJob(rig!.cluster, makeJob('a1', { kind: 'apply', title: 'tofu apply', state: 'running', startedAt: rig!.clock() }));
      rig!.cluster.setState({ lockHolder: { jobId: 'a1', kind: 'apply', title: 'tofu apply', user: 'ops' } as never, pendingPlan: undefined });
      return 'a1';
    },
    playbook: async (k) => `j-${k}`,
    cancel: async () => {},
    saveLog: async () => '/tmp/x.log',
  };
}

it('a on the plan review asks, applies, and shows the apply log', async () => {
  rig = startRig({ columns: 120, rows: 30, jobs: fakeJobs() });
  addJob(rig.cluster, makeJob('p1', { kind: 'plan', title: 'tofu plan', state: 'succeeded', endedAt: rig.clock() - 1000, plan: { add: 1, change: 0, destroy: 0, resources: [{ addr: 'scaleway_baremetal_server.host["kvm-4"]', action: 'create' }], diagnostics: [] } }));
  rig.cluster.setState({ pendingPlan: { jobId: 'p1', add: 1, change: 0, destroy: 0, destroys: [] } });
  await rig.shows('kvm-3');
  rig.stdin.press('o');
  await rig.shows('Plan review · job p1');
  rig.stdin.press('a');
  await rig.shows('apply plan p1 (1 to add, 0 to change, 0 to destroy)? [y/N]');
  rig.stdin.press('y');
  await waitFor(() => currentScreen(rig!.ui.getState()).id === 'logs', `the logs screen\n${rig!.screen()}`);
  expect(rig.ui.getState().focusedJob).toBe('a1');
  await rig.shows('RUNNING · apply');
  await rig.shows('apply started: job a1');
  expect(rig.screen()).not.toContain('another job is running');
});

it('help (#9): titles whole at 200 columns, "/" searches in a log, and what a key does when pressed', async () => {
  rig = startRig({ columns: 200, rows: 60, jobs: fakeJobs() });
  await rig.shows('kvm-3');
  rig.stdin.press('?');
  await rig.shows('Keys on the hosts screen');
  const s = rig.screen();
  expect(s).toContain('host network: netplan bridges and VLANs (:network [host…])');
  expect(s).toMatch(/\/ +filter the list \(in a log: search\)/);
  expect(s).toMatch(/p +tofu plan .*starts a job at once/);
  expect(s).toMatch(/d +OneDeploy .*asks first/);
  expect(s).not.toContain('changes the cluster');
});
