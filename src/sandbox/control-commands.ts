// The sandbox's knobs, shared by the control endpoint and `onedeck sandbox host …`:
// host <name> ssh down|up, one-state ERROR|MONITORED|DISABLED|OFFLINE [message], libvirtd <state>.
import { clearFaults, DEFAULT_KNOBS, FAULT_STEPS, knobs } from './state-faults.js';
import { KEY_ACCESS } from './scaleway-api/iam-access.js';
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

export const FAIL_USAGE = `usage: fail <step> | fail list | fail clear   (steps: ${Object.keys(FAULT_STEPS).join(', ')})`;
export const KNOB_USAGE =
  'usage: knob migrate-ms <ms> | knob delivery-scale <factor> | knob key-access full|readonly|full-no-iam|readonly-no-iam | knob ssh-sudo yes|no [user] | knob list';

/** `fail <step>`: the next run of the step fails; `fail list`; `fail clear` (also repairs an errored install). */
export function failCommand(store: SandboxStateStore, args: string[]): ControlResult {
  const [what] = args;
  if (!what) return { code: 64, message: FAIL_USAGE };
  if (what === 'list') {
    const f = store.get().faults ?? [];
    return { code: 0, message: f.length ? `pending faults: ${f.join(', ')}` : 'no pending fault' };
  }
  if (what === 'clear') {
    const n = store.update((s) => clearFaults(s, store.now()));
    return { code: 0, message: `${n} pending fault(s) cleared` };
  }
  if (!(what in FAULT_STEPS)) return { code: 64, message: `unknown step ${what}; ${FAIL_USAGE}` };
  store.update((s) => void (s.faults ??= []).push(what));
  return { code: 0, message: `the next run of ${what} fails: ${FAULT_STEPS[what]}` };
}

/** `knob <name> <value>`: slow the simulation down (or speed it up again), or limit the credentials. */
export function knobCommand(store: SandboxStateStore, args: string[]): ControlResult {
  const [name, value, who] = args;
  const show = () => {
    const k = knobs(store.get());
    const noSudo = k.noSudoUsers?.length ? k.noSudoUsers.join(', ') : 'none';
    return `migrate-ms ${k.migrateMs}, delivery-scale ${k.deliveryScale} (defaults ${DEFAULT_KNOBS.migrateMs}, ${DEFAULT_KNOBS.deliveryScale}), key-access ${k.keyAccess ?? 'full'}, users without sudo: ${noSudo}`;
  };
  if (name === 'list') return { code: 0, message: show() };
  if (name === 'key-access') {
    if (!(KEY_ACCESS as readonly string[]).includes(value ?? '')) return { code: 64, message: KNOB_USAGE };
    store.update((s) => void (s.knobs = { ...s.knobs, keyAccess: value as (typeof KEY_ACCESS)[number] }));
    return { code: 0, message: show() };
  }
  if (name === 'ssh-sudo') {
    if (value !== 'yes' && value !== 'no') return { code: 64, message: KNOB_USAGE };
    // the sandbox's onedeck.yaml logs in as ubuntu (as on Scaleway's Ubuntu images)
    const user = who ?? 'ubuntu';
    store.update((s) => {
      const rest = (s.knobs?.noSudoUsers ?? []).filter((u) => u !== user);
      s.knobs = { ...s.knobs, noSudoUsers: value === 'no' ? [...rest, user] : rest };
    });
    return { code: 0, message: show() };
  }
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) return { code: 64, message: KNOB_USAGE };
  if (name === 'migrate-ms') store.update((s) => void (s.knobs = { ...s.knobs, migrateMs: Math.round(n) }));
  else if (name === 'delivery-scale') store.update((s) => void (s.knobs = { ...s.knobs, deliveryScale: n }));
  else return { code: 64, message: KNOB_USAGE };
  return { code: 0, message: show() };
}
