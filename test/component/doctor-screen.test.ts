// `:doctor` in the TUI: the action runs the checks (a service of the core), publishes the report
// into the cluster store, and the doctor screen shows OK / WARN / FAIL with the fix.
import { afterEach, expect, it } from 'vitest';
import { doctorActions } from '../../src/actions/doctor-actions.js';
import { reportOf, fail, ok, warn } from '../../src/domain/doctor.js';
import { currentScreen } from '../../src/store/ui-store.js';
import { KEY } from '../harness/fake-tty.js';
import { waitFor } from '../harness/wait.js';
import { startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

it(':doctor shows checking…, then each check with its fix; esc goes back', async () => {
  rig = startRig({ columns: 120, rows: 30, extra: doctorActions() });
  let finish: () => void = () => undefined;
  rig.services.doctor = () =>
    new Promise((done) => {
      finish = () =>
        done(reportOf([
          ok('node', 'Node.js', 'Node 20.20.2'),
          warn('collections', 'Galaxy collections', 'not installed: opennebula.deploy', 'ansible-galaxy collection install -r ansible/requirements.yml'),
          fail('scaleway', 'Scaleway credentials', 'no Scaleway credentials', 'run scw init'),
        ], rig!.clock()));
    });
  await rig.shows('kvm-3');
  rig.stdin.press(`:doctor${KEY.enter}`);
  await waitFor(() => currentScreen(rig!.ui.getState()).id === 'doctor', 'the doctor screen');
  await rig.shows('checking…');
  finish();
  await rig.shows(/FAIL +Scaleway credentials +no Scaleway credentials/);
  expect(rig.screen()).toMatch(/OK +Node\.js +Node 20\.20\.2/);
  expect(rig.screen()).toMatch(/WARN +Galaxy collections/);
  expect(rig.screen()).toContain('fix: run scw init');
  expect(rig.screen()).toContain('1 OK · 1 WARN · 1 FAIL');
  expect(rig.cluster.getState().doctor).toMatchObject({ running: false, report: { exitCode: 1 } });
  rig.stdin.press(KEY.escape);
  await waitFor(() => currentScreen(rig!.ui.getState()).id === 'hosts', 'back on the hosts screen');
});
