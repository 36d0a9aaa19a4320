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
      aliases: ['reload'],
      disabledReason: (ctx) => (ctx.services.refresh ? undefined : 'refresh is not available in this build'),
      run: async (ctx) => {
        await ctx.services.refresh?.();
      },
    },
  ];
}
