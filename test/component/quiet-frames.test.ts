// Nothing is rendered or written while nothing visible changes: the one-second clock ticks without
// a frame (not even one that writes nothing) when no age on screen moved, a store write of equal values draws nothing, and when one age
// moves only the rows showing it are drawn again (a counting stdout, no timing).
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('quiet frames', () => {
  it('writes nothing while the clock ticks and the stores change nothing visible; an age that moves redraws its rows only', async () => {
    rig = startRig({ columns: 200, rows: 50 });
    await rig.shows('kvm-3');
    await rig.shows('refreshed 4s ago');
    await sleep(300); // the first frame's trailing writes
    const from = rig.tty.writes.length;
    const framesFrom = rig.frames.count;
    const before = rig.screen().split('\n');
    // the clock moves within one step of the screen's age clock (10 s with this 30 s refresh): its
    // ticks find every age as it was, and no component renders
    for (let i = 0; i < 3; i++) {
      rig.clock.advance(100);
      await sleep(770);
    }
    expect(rig.frames.count - framesFrom).toBe(0);
    // equal values written to the stores
    rig.cluster.setState({ refreshedAt: rig.cluster.getState().refreshedAt, hosts: [...rig.cluster.getState().hosts] });
    rig.ui.setState({ selected: rig.ui.getState().selected });
    await sleep(300);
    expect(rig.tty.writes.slice(from).join('')).toBe('');
    // at the next step (10 s after the first frame's) every age moves at once
    rig.clock.advance(9700);
    await rig.shows('refreshed 14s ago');
    const after = rig.screen().split('\n');
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed.length).toBeGreaterThan(0);
    // the rows that changed are the ones with an age in them (the header, rows and panel lines with seconds)
    for (const line of changed) expect(line).toMatch(/\d+s\b/);
    expect(changed.length).toBeLessThan(before.length / 2);
  });
});
