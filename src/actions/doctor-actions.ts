// `:doctor`: runs onedeck doctor's checks (services.doctor, I/O in the core) and publishes the
// report into the cluster store, where the doctor screen reads it. Views do no I/O.
import { currentScreen } from '../store/ui-store.js';
import { pushScreen } from '../store/screen-stack.js';
import type { ActionDef } from './types.js';

export function doctorActions(): ActionDef[] {
  return [
    {
      id: 'doctor',
      title: 'check the prerequisites (:doctor)',
      short: 'doctor',
      keys: [],
      scope: 'global',
      mutating: false,
      disabledReason: (ctx) => (ctx.services.doctor ? undefined : 'doctor is not available in this build'),
      run: async (ctx) => {
        if (currentScreen(ctx.ui.getState()).id !== 'doctor') pushScreen(ctx.ui, { id: 'doctor' });
        if (ctx.cluster.getState().doctor?.running) return;
        const before = ctx.cluster.getState().doctor;
        ctx.cluster.setState({ doctor: { ...before, running: true } });
        try {
          const report = await ctx.services.doctor!();
          ctx.cluster.setState({ doctor: { running: false, report } });
        } catch (err) {
          ctx.cluster.setState({ doctor: { running: false, report: before?.report, error: (err as Error).message } });
        }
      },
    },
  ];
}
