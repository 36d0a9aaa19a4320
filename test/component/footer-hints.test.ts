// The footer's hints follow the actions' disabled reasons as the stores change, with no clock
// tick and no notice: a lock taken in another terminal hides a hint at once, its release shows it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionDef } from '../../src/actions/types.js';
import { startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const frobnicate: ActionDef = {
  id: 'frobnicate',
  title: 'frobnicate',
  keys: ['F'],
  scope: 'global',
  mutating: false,
  footer: true,
  disabledReason: (ctx) => (ctx.cluster.getState().lockHolder ? 'a job holds the lock' : undefined),
  run: () => undefined,
};

describe('footer hints', () => {
  it('hide and show as a disabled reason read from the cluster store changes', async () => {
    rig = startRig({ columns: 200, rows: 50, extra: [frobnicate] });
    await rig.shows('frobnicate');
    const holder = { jobId: '20261202-160000-apply-abcd', kind: 'apply', title: 'apply', user: 'someone', from: 'elsewhere' };
    rig.cluster.setState({ lockHolder: holder as never });
    await rig.gone('frobnicate');
    rig.cluster.setState({ lockHolder: undefined });
    await rig.shows('frobnicate');
  });
});
