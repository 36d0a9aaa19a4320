// Actions about hosts and their health.
import type { ActionDef } from './types.js';

export function hostActions(): ActionDef[] {
  return [
    {
      id: 'refresh',
      title: 'refresh now',
      short: 'refresh',
      keys: ['r'],
      scope: 'global',
      mutating: false,
      footer: true,
      disabledReason: (ctx) => (ctx.services.refresh ? undefined : 'refresh is not available in this build'),
      run: async (ctx) => {
        await ctx.services.refresh?.();
      },
    },
    {
      id: 'reload',
      title: 'read onedeck.yaml again (:reload)',
      short: 'reload config',
      keys: [],
      scope: 'global',
      // reading the config changes nothing in the cluster; a read-only session stays read-only
      mutating: false,
      disabledReason: (ctx) => (ctx.services.reload ? undefined : 'reload is not available in this build'),
      run: async (ctx) => {
        const text = await ctx.services.reload!(ctx.session);
        ctx.ui.setState({ flash: { level: 'info', text, at: Date.now() } });
      },
    },
  ];
}
