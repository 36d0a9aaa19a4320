// Credentials that leave features out, told up front: the header says so, the left-out actions
// are refused at once with the reason (key and help), and what they leave in still runs.
import { afterEach, expect, it, vi } from 'vitest';
import { scalewayAccess, sshAccess } from '../../src/domain/credential-access.js';
import type { JobService } from '../../src/services.js';
import { waitFor } from '../harness/wait.js';
import { startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const P = '11111111-1111-4111-a111-111111111111';
const readOnlyKey = scalewayAccess({ determined: true, bearer: 'application ci 1f2e3d4c…', grants: [{ set: 'AllProductsReadOnly', projectIds: [P] }] }, P);

function jobs() {
  const j = {
    plan: vi.fn(async () => 'p1'),
    apply: vi.fn(async () => 'a1'),
    playbook: vi.fn(async (_s: unknown, k: string) => `j-${k}`),
    cancel: vi.fn(async () => {}),
    saveLog: vi.fn(async () => '/tmp/x.log'),
  };
  return j as typeof j & JobService;
}

it('a read-only key and a user without sudo: badges, refusals with the reason, no job started; plan still runs', async () => {
  const svc = jobs();
  rig = startRig({ columns: 220, rows: 40, jobs: svc });
  rig.cluster.setState({
    access: { scaleway: readOnlyKey, ssh: sshAccess('ubuntu', { fe: false, 'kvm-1': false }) },
    pendingPlan: { jobId: 'p0', add: 1, change: 0, destroy: 0, destroys: [] },
  });
  await rig.shows('kvm-3');
  await rig.shows('KEY READ-ONLY');
  await rig.shows('NO SUDO');
  rig.stdin.press('a');
  await rig.shows('Scaleway key is read-only: apply, add and remove left out (it needs ElasticMetalFullAccess, VPCFullAccess, PrivateNetworksFullAccess, IPAMFullAccess, SSHKeysFullAccess)');
  rig.stdin.press('d');
  await rig.shows('SSH user ubuntu has no passwordless sudo on any host (2): OneDeploy, network, hooks, validation, add and remove left out');
  await rig.idle();
  expect(svc.apply).not.toHaveBeenCalled();
  expect(svc.playbook).not.toHaveBeenCalled();
  // the headless and `:` paths meet the same refusal
  const out = await rig.executor.run('hooks', [], rig.session, rig.ui);
  expect(out).toMatchObject({ ok: false, reason: 'disabled' });
  expect(svc.playbook).not.toHaveBeenCalled();
  // help says why, under each left-out action
  rig.stdin.press('?');
  await rig.shows('Help');
  await rig.shows(/a\s+tofu apply .*\n.*Scaleway key is read-only: apply, add and remove left out/);
  rig.stdin.press('G');
  await rig.shows(/d\s+OneDeploy .*\n.*SSH user ubuntu has no passwordless sudo/);
  rig.stdin.press('?');
  await rig.gone('Help · hosts');
  // reading is left in: plan only reads the cloud
  rig.stdin.press('p');
  await waitFor(() => svc.plan.mock.calls.length === 1, () => `plan to run\n${rig!.screen()}`);
});

it('undetermined permissions disable nothing and show no badge', async () => {
  const svc = jobs();
  rig = startRig({ columns: 200, rows: 40, jobs: svc });
  rig.cluster.setState({
    access: { scaleway: scalewayAccess({ determined: false, reason: 'the key may not read IAM (403); it needs IAMReadOnly to tell' }, P), ssh: sshAccess('ubuntu', { fe: true }) },
  });
  await rig.shows('kvm-3');
  expect(rig.screen()).not.toContain('KEY ');
  expect(rig.screen()).not.toContain('NO SUDO');
  rig.stdin.press('d');
  await rig.shows('run OneDeploy');
});
