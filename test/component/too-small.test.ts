// On a terminal too small to show onedeck, only q (and ctrl+c) and a resize do anything: a key
// must never start a plan, or answer a question nobody can see.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActionDef } from '../../src/actions/types.js';
import { waitFor } from '../harness/wait.js';
import { startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});
const screen = () => rig!.tty.screen.text();
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('terminal too small', () => {
  it('at 40x10, p and : do nothing; after a resize to 80x24, p works', async () => {
    rig = startRig({ columns: 40, rows: 10 });
    await waitFor(() => screen().includes('terminal too small'), 'the too-small notice');
    rig.stdin.press('p');
    rig.stdin.press(':');
    rig.stdin.press('/');
    await settle();
    rig.stdin.press('y');
    await settle();
    expect(rig.planRun).not.toHaveBeenCalled();
    expect(rig.ui.getState().prompt).toBeUndefined();
    rig.tty.resize(80, 24);
    await waitFor(() => screen().includes('kvm-3'), 'the table after the resize');
    rig.stdin.press('p');
    await waitFor(() => rig!.planRun.mock.calls.length === 1, 'p to start the plan at 80x24');
  });

  it('a question asked before the terminal shrank cannot be answered blind', async () => {
    const askRun = vi.fn();
    const ask: ActionDef = { id: 'ask', title: 'ask first', keys: ['A'], scope: ['hosts'], mutating: true, confirm: () => ({ question: 'run it? [y/N]' }), run: askRun };
    rig = startRig({ columns: 80, rows: 24, extra: [ask] });
    await waitFor(() => screen().includes('kvm-3'), 'the table');
    // a real question, issued by the executor (its token is valid: only the size guard stops it)
    await rig.executor.run('ask', [], rig.session, rig.ui);
    expect(rig.ui.getState().prompt?.onYes?.token).toBeTruthy();
    rig.tty.resize(40, 10);
    await waitFor(() => screen().includes('terminal too small'), 'the too-small notice');
    rig.stdin.press('y');
    await settle();
    expect(askRun).not.toHaveBeenCalled();
    rig.tty.resize(80, 24);
    await waitFor(() => screen().includes('run it?'), 'the question again at 80x24');
    rig.stdin.press('y');
    await waitFor(() => askRun.mock.calls.length === 1, 'y answers it once it can be seen');
  });

  it('q still quits at 40x10', async () => {
    rig = startRig({ columns: 40, rows: 10 });
    await waitFor(() => screen().includes('terminal too small'), 'the too-small notice');
    rig.stdin.press('q');
    await waitFor(() => rig!.quit.mock.calls.length > 0 || rig!.ui.getState().quitting === true, 'q to quit');
  });
});
