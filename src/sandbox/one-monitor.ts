// OpenNebula's monitoring, simulated: every tick, a host whose node answers (SSH up, libvirtd
// active) gets a fresh MONITORING.TIMESTAMP; one that does not turns ERROR with TEMPLATE.ERROR.
import type { OneHost, SandboxState, SimHost } from './state-types.js';

export const MONITOR_PERIOD_S = 10;

/** OpenNebula's log time, as in TEMPLATE.ERROR: "Fri Nov 27 14:00:00 2026". */
export function oneTime(epochS: number): string {
  const d = new Date(epochS * 1000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day} ${mon} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

export function simFor(state: SandboxState, h: OneHost): SimHost | undefined {
  return state.simHosts.find((s) => s.privateIp === h.name && s.serverId !== null) ?? state.simHosts.find((s) => s.name === h.hostname);
}

/** Why monitoring of this host fails right now, or null. */
export function monitoringProblem(state: SandboxState, h: OneHost): string | null {
  const sim = simFor(state, h);
  if (!sim || !sim.serverId) return `ssh: connect to host ${h.name} port 22: No route to host`;
  if (!sim.sshUp) return `ssh: connect to host ${h.name} port 22: Connection refused`;
  if (sim.libvirtd !== 'active') {
    return "error: failed to connect to the hypervisor error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory";
  }
  return null;
}

export interface EffectiveHost {
  state: number;
  error: string | null;
  timestamp: number;
}

/** What `onehost list` shows for a host now. */
export function effectiveHost(state: SandboxState, h: OneHost): EffectiveHost {
  if (h.forcedError !== null) {
    return { state: 3, error: `${oneTime(h.failingSince || h.lastMonitored)} : ${h.forcedError}`, timestamp: h.lastMonitored };
  }
  if (h.state === 8) return { state: 8, error: null, timestamp: h.lastMonitored };
  if (h.failingSince > 0) {
    const why = monitoringProblem(state, h) ?? 'monitoring timed out';
    return { state: 3, error: `${oneTime(h.failingSince)} : Error monitoring Host ${h.name} (${h.id}): ${why}`, timestamp: h.lastMonitored };
  }
  return { state: h.state, error: null, timestamp: h.lastMonitored };
}

/** One monitoring round at epoch seconds `nowS`; true when the state changed. */
export function monitorTick(state: SandboxState, nowS: number): boolean {
  let changed = false;
  for (const h of state.one.hosts) {
    if (h.state === 8) continue;
    const problem = monitoringProblem(state, h);
    if (problem) {
      if (h.failingSince === 0) {
        h.failingSince = nowS;
        changed = true;
      }
      continue;
    }
    if (h.failingSince !== 0) {
      h.failingSince = 0;
      changed = true;
    }
    if (h.state === 0) {
      h.prevState = 0;
      h.state = 2;
      changed = true;
    }
    if (nowS - h.lastMonitored >= MONITOR_PERIOD_S) {
      h.lastMonitored = nowS;
      changed = true;
    }
  }
  return changed;
}
