// A read-only session: mutating keys stay visible but the executor refuses them and says why.
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../harness/wait.js';
import { startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

it('pressing p in a read-only session flashes the refusal and never runs the action', async () => {
  rig = startRig({ columns: 120, rows: 30, readonly: true });
  const text = () => rig!.tty.screen.text();
  await waitFor(() => text().includes('kvm-3'), 'table');
  expect(text()).toContain('READ-ONLY');
  expect(text()).toMatch(/p tofu plan/); // still listed in the footer
  rig.stdin.press('p');
  await waitFor(() => text().includes('this session is read-only'), `refusal flash\n${text()}`);
  await rig.idle();
  expect(rig.planRun).not.toHaveBeenCalled();
});

it('the same key runs the action in a writable session', async () => {
  rig = startRig({ columns: 120, rows: 30 });
  await waitFor(() => rig!.tty.screen.text().includes('kvm-3'), 'table');
  rig.stdin.press('p');
  await waitFor(() => rig!.planRun.mock.calls.length === 1, 'plan to run');
});
