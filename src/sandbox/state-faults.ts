// Injected failures and speed knobs of the sandbox: `onedeck sandbox fail <step>` makes the next
// run of that step fail (the command, API call or tool that step uses consumes it), and
// `onedeck sandbox knob <name> <value>` slows migrations or server deliveries down.
import type { SandboxKnobs, SandboxState } from './state-types.js';

/** The steps a fault can be injected into, and who consumes it. */
export const FAULT_STEPS: Record<string, string> = {
  plan: 'the next plan: the Scaleway API refuses to read a server (permissions_denied)',
  apply: 'the next apply: the Scaleway API refuses to create a server (quotas_exceeded) or to delete one (permissions_denied)',
  'server-ready': "the next new server: its OS install ends in error (until the faults are cleared)",
  network: 'the next network.yml run',
  deploy: 'the next OneDeploy run',
  hooks: 'the next hooks deployment',
  validate: 'the next validation run',
  'onehost-disable': 'the next onehost disable',
  'onehost-flush': 'the next onehost flush',
  migrate: 'the next live migration (the VM stays on its host, with the error in its USER_TEMPLATE)',
  'onehost-delete': 'the next onehost delete',
  monitored: 'the next host OpenNebula adds (onehost create): its monitoring fails, ERROR, until the faults are cleared',
};

/** a new server's phases (ms after create, × knobs.deliveryScale) */
export const DELIVERY_MS = { ready: 1200, installing: 2500, completed: 4500 };

export const DEFAULT_KNOBS: SandboxKnobs = { migrateMs: 1500, deliveryScale: 1 };

export function knobs(s: SandboxState): SandboxKnobs {
  return { ...DEFAULT_KNOBS, ...(s.knobs ?? {}) };
}

/** Take the pending fault of `step`, if any (call inside store.update). */
export function consumeFault(s: SandboxState, step: string): boolean {
  const i = (s.faults ?? []).indexOf(step);
  if (i < 0) return false;
  s.faults!.splice(i, 1);
  return true;
}

export const hasFault = (s: SandboxState, step: string) => (s.faults ?? []).includes(step);

/** The message a failing step prints, naming the injection so nobody hunts for a real cause. */
export const faultNote = (step: string) => `(injected: onedeck sandbox fail ${step})`;

/** Clear every pending fault, and repair what a fault left broken (an errored install restarts). */
export function clearFaults(s: SandboxState, now: number): number {
  const n = (s.faults ?? []).length;
  s.faults = [];
  // a host a `monitored` fault put in ERROR is monitored again
  for (const h of s.one.hosts) {
    if (!h.faultError) continue;
    h.forcedError = null;
    h.faultError = false;
    h.failingSince = 0;
  }
  for (const t of s.transitions) {
    if (!t.failInstall) continue;
    t.failInstall = false;
    // reinstall: back to the installing phase
    const srv = s.servers.find((x) => x.id === t.serverId);
    if (srv?.install) srv.install.status = 'installing';
    t.startedAt = now - DELIVERY_MS.installing * knobs(s).deliveryScale;
  }
  return n;
}
