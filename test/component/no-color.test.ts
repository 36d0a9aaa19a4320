// NO_COLOR: no colour escapes at all (bold, dim and inverse still carry meaning).
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../harness/wait.js';
import type { Rig } from './tui-setup.js';

// chalk decides its colour level when it is first loaded; force it so the positive control
// below proves that colours do appear when NO_COLOR is off
process.env.FORCE_COLOR = '1';
const { startRig } = await import('./tui-setup.js');

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-79]|9[0-7]|4[0-79]|10[0-7]|38;|48;)[0-9;]*m/;

it('draws colours normally', async () => {
  rig = startRig({ columns: 120, rows: 30, readonly: true });
  await waitFor(() => rig!.tty.screen.text().includes('kvm-3'), 'table');
  expect(rig.tty.output()).toMatch(COLOUR);
});

it('draws no colour at all with noColor, and stays readable', async () => {
  rig = startRig({ columns: 120, rows: 30, readonly: true, noColor: true });
  await waitFor(() => rig!.tty.screen.text().includes('kvm-3'), 'table');
  rig.stdin.press('p');
  await waitFor(() => rig!.tty.screen.text().includes('read-only'), 'flash');
  expect(rig.tty.output()).not.toMatch(COLOUR);
  expect(rig.tty.screen.text()).toContain('degraded: monitoring failed');
  expect(rig.tty.output()).toContain('\x1b[7m'); // badges and selection use inverse
});
