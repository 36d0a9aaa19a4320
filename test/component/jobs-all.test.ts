// `:jobs` lists this cluster's jobs only; `:jobs --all` adds the other clusters' jobs of the
// machine, marked read-only, and `x` never cancels one of them.
import { afterEach, expect, it, vi } from 'vitest';
import type { JobService } from '../../src/services.js';
import { KEY } from '../harness/fake-tty.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

it(':jobs --all shows the other clusters\' jobs, marked, and x does not cancel them', async () => {
  const cancel = vi.fn(async () => undefined);
  const jobs = { plan: vi.fn(), apply: vi.fn(), playbook: vi.fn(), cancel, saveLog: vi.fn() } as unknown as JobService;
  rig = startRig({ columns: 180, rows: 30, jobs });
  addJob(rig.cluster, makeJob('20261201-090000-hooks-0001', { state: 'succeeded', title: 'own hooks' }));
  const other = makeJob('20261201-100000-deploy-0002', { state: 'running', title: 'prodb deploy', cluster: { name: 'prodb', configFile: '/etc/prodb.yaml', terraformDir: '/srv/prodb/terraform' } });
  rig.cluster.setState({ otherJobs: [other], lockHolder: { jobId: other.id, kind: 'deploy', title: other.title, user: 'ops' } });
  await rig.shows('kvm-3');
  rig.stdin.press(':jobs\r');
  await rig.shows('Jobs 1');
  expect(rig.screen()).not.toContain('20261201-100000-deploy-0002');
  rig.stdin.press(':jobs --all\r');
  const all = await rig.shows('20261201-100000-deploy-0002');
  expect(all).toContain('Jobs 2 (all clusters: 1 of others, read-only)');
  expect(all.split('\n').find((l) => l.includes('20261201-100000-deploy-0002'))).toContain('[other cluster prodb, read-only]');
  expect(all.split('\n').find((l) => l.includes('20261201-090000-hooks-0001'))).not.toContain('other cluster');
  // the other cluster's job runs and holds the machine lock, yet it is not this session's to cancel
  rig.stdin.press('x');
  await rig.shows('no job is running');
  rig.stdin.press('y');
  await rig.idle();
  expect(cancel).not.toHaveBeenCalled();
  rig.stdin.press(KEY.escape);
});
