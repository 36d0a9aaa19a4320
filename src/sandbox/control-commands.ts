// The sandbox's knobs, shared by the control endpoint and `onedeck sandbox host …`:
// host <name> ssh down|up, one-state ERROR|MONITORED|DISABLED|OFFLINE [message], libvirtd <state>.
import type { SandboxStateStore } from './state.js';
import { HOOK_LOG_ATTACH, type LibvirtdState } from './state-types.js';

export interface ControlResult {
  code: number;
  message: string;
}

export const HOST_USAGE =
  'usage: host <name> ssh down|up | one-state ERROR|MONITORED|DISABLED|OFFLINE [message] | libvirtd active|inactive|failed | hook-log INFO|ERROR <message>';

const ONE_STATES: Record<string, number> = { MONITORED: 2, DISABLED: 4, OFFLINE: 8, INIT: 0 };

export function hostCommand(store: SandboxStateStore, args: string[]): ControlResult {
  const [name, what, value, ...rest] = args;
  const s = store.get();
  const sim = s.simHosts.find((h) => h.name === name);
  if (!name || !what || !value) return { code: 64, message: HOST_USAGE };
  if (!sim) return { code: 1, message: `no simulated host named ${name} (have: ${s.simHosts.map((h) => h.name).join(', ')})` };
  const nowS = Math.floor(store.now() / 1000);
  switch (what) {
    case 'ssh':
      if (value !== 'up' && value !== 'down') return { code: 64, message: HOST_USAGE };
      store.update((st) => void (st.simHosts.find((h) => h.name === name)!.sshUp = value === 'up'));
      return { code: 0, message: `${name}: ssh ${value}` };
    case 'libvirtd':
      if (!['active', 'inactive', 'failed', 'unknown'].includes(value)) return { code: 64, message: HOST_USAGE };
      store.update((st) => void (st.simHosts.find((h) => h.name === name)!.libvirtd = value as LibvirtdState));
      return { code: 0, message: `${name}: libvirtd ${value}` };
    case 'one-state': {
      const state = value.toUpperCase();
      if (state !== 'ERROR' && !(state in ONE_STATES)) return { code: 64, message: HOST_USAGE };
      const one = s.one.hosts.find((h) => h.name === sim.privateIp || h.hostname === name);
      if (!one) return { code: 1, message: `${name} is not an OpenNebula host yet` };
      store.update((st) => {
        const h = st.one.hosts.find((x) => x.id === one.id)!;
        if (state === 'ERROR') {
          h.forcedError = rest.length ? rest.join(' ') : `Error monitoring Host ${h.name} (${h.id}): monitor probe failed: timeout`;
          if (!h.failingSince) h.failingSince = nowS;
        } else {
          h.forcedError = null;
          h.failingSince = 0;
          h.prevState = h.state;
          h.state = ONE_STATES[state];
          if (h.state === 2) h.lastMonitored = nowS;
        }
      });
      return { code: 0, message: `${name}: OpenNebula host ${one.id} ${state}` };
    }
    case 'hook-log': {
      const level = value.toUpperCase();
      if ((level !== 'INFO' && level !== 'ERROR') || rest.length === 0) return { code: 64, message: HOST_USAGE };
      const at = new Date(store.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const line = `${at} scw-flexip-attach[${4000 + Math.floor(Math.random() * 60000)}] ${level}: ${rest.join(' ')}`;
      store.update((st) => {
        const h = st.simHosts.find((x) => x.name === name)!;
        (h.logs[HOOK_LOG_ATTACH] ??= []).push(line);
      });
      return { code: 0, message: `${name}: logged ${level}` };
    }
    default:
      return { code: 64, message: HOST_USAGE };
  }
}

/** A short human summary of every simulated host. */
export function statusLines(store: SandboxStateStore): string[] {
  const s = store.get();
  return s.simHosts.map((h) => {
    const srv = s.servers.find((x) => x.id === h.serverId);
    const one = s.one.hosts.find((x) => x.name === h.privateIp);
    const server = srv ? `${srv.status}/${srv.install?.status ?? '-'}` : 'no server';
    return `${h.name.padEnd(8)} ${`${h.address}:${h.port}`.padEnd(22)} ssh ${h.sshUp && h.serverId ? 'up  ' : 'down'}  libvirtd ${h.libvirtd.padEnd(8)}  server ${server.padEnd(18)} one ${one ? `#${one.id}` : '-'}`;
  });
}
