// Time-driven changes of the fake Scaleway API, compressed from minutes to seconds:
// create: delivering → ready/to_install → ready/installing (ping up) → ready/completed;
// delete: deleting → gone (with its FIP detached and private-network attachments removed).
import { advanceOne } from './one-migrate.js';
import { hostIndexFor, newSimHost, tagValue } from './state-default.js';
import { DELIVERY_MS, knobs } from './state-faults.js';
import type { SandboxState, WireServer } from './state-types.js';
import { nowIso } from './wire.js';

export { DELIVERY_MS };
export const DELETE_MS = 1500;

function set(s: WireServer, status: string, install: string, ping: string, now: number): boolean {
  if (s.status === status && s.install?.status === install && s.ping_status === ping) return false;
  s.status = status;
  if (s.install) s.install.status = install;
  s.ping_status = ping;
  s.updated_at = nowIso(now);
  return true;
}

/** Apply every transition due at `now`; true when anything changed. */
export function advanceLifecycle(state: SandboxState, now: number): boolean {
  let changed = advanceOne(state, now);
  const scale = knobs(state).deliveryScale;
  for (const t of [...state.transitions]) {
    const server = state.servers.find((s) => s.id === t.serverId);
    const dt = (now - t.startedAt) / scale;
    if (!server) {
      state.transitions = state.transitions.filter((x) => x !== t);
      changed = true;
      continue;
    }
    if (t.kind === 'create') {
      if (dt >= DELIVERY_MS.completed && t.failInstall) {
        // the OS install failed: the server stays ready with install status error, no SSH
        changed = set(server, 'ready', 'error', 'ping_status_up', now) || changed;
        // the server itself is up: its private networks attach as for any ready server
        for (const spn of state.serverPrivateNetworks) if (spn.server_id === server.id && spn.status !== 'attached') (spn.status = 'attached'), (changed = true);
      } else if (dt >= DELIVERY_MS.completed) {
        changed = set(server, 'ready', 'completed', 'ping_status_up', now) || changed;
        for (const spn of state.serverPrivateNetworks) if (spn.server_id === server.id) spn.status = 'attached';
        bootSimHost(state, server);
        state.transitions = state.transitions.filter((x) => x !== t);
        changed = true;
      } else if (dt >= DELIVERY_MS.installing) changed = set(server, 'ready', 'installing', 'ping_status_up', now) || changed;
      else if (dt >= DELIVERY_MS.ready) changed = set(server, 'ready', 'to_install', 'ping_status_unknown', now) || changed;
    } else if (dt >= DELETE_MS) {
      removeServer(state, server.id);
      state.transitions = state.transitions.filter((x) => x !== t);
      changed = true;
    }
  }
  for (const [id, until] of Object.entries(state.fipBusyUntil)) {
    if (now < until) continue;
    const fip = state.fips.find((f) => f.id === id);
    if (fip) {
      fip.status = fip.server_id ? 'attached' : 'ready';
      fip.updated_at = nowIso(now);
    }
    delete state.fipBusyUntil[id];
    changed = true;
  }
  return changed;
}

export function removeServer(state: SandboxState, serverId: string): void {
  state.servers = state.servers.filter((s) => s.id !== serverId);
  for (const f of state.fips) if (f.server_id === serverId) {
    f.server_id = null;
    f.status = 'ready';
  }
  const ipIds = new Set(state.serverPrivateNetworks.filter((p) => p.server_id === serverId).flatMap((p) => p.ipam_ip_ids));
  state.serverPrivateNetworks = state.serverPrivateNetworks.filter((p) => p.server_id !== serverId);
  state.ipamIps = state.ipamIps.filter((ip) => !ipIds.has(ip.id));
  for (const sim of state.simHosts) if (sim.serverId === serverId) {
    sim.serverId = null;
    sim.sshUp = false;
  }
}

/** A freshly installed server: a bare Ubuntu reachable over SSH, nothing of OpenNebula on it yet. */
export function bootSimHost(state: SandboxState, server: WireServer): void {
  const name = tagValue(server.tags, 'host');
  if (!name) return;
  const role = tagValue(server.tags, 'role') === 'frontend' ? 'frontend' : 'hypervisor';
  const fresh = newSimHost(name, role, hostIndexFor(state, name), server.id, {});
  fresh.libvirtd = 'inactive';
  fresh.logs = {};
  fresh.load1 = 0.05;
  const primary = state.privateNetworks[0]?.id;
  const spn = state.serverPrivateNetworks.find((p) => p.server_id === server.id && p.private_network_id === primary);
  const ip = state.ipamIps.find((x) => spn?.ipam_ip_ids.includes(x.id));
  if (ip) fresh.privateIp = ip.address.split('/')[0];
  const i = state.simHosts.findIndex((s) => s.name === name);
  if (i >= 0) state.simHosts[i] = { ...fresh, port: state.simHosts[i].port, address: state.simHosts[i].address };
  else state.simHosts.push(fresh);
}
