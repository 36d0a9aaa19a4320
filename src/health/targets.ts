// Where onedeck reaches each host over SSH: onedeck.yaml `ssh`, else the tofu inventory's public
// IP; hypervisors through the frontend (jump host) at their private IP when jump_via_frontend.
import type { Config, HostConfig } from '../config/schema.js';
import type { InventoryOutput } from '../domain/inventory.js';
import type { SshEndpoint } from '../adapters/ssh/connection-pool.js';
import { inventoryHost } from './join.js';

export interface HostTarget {
  endpoint?: SshEndpoint;
  /** shown to the operator: "51.15.1.2:22", "10.16.0.12 via fe" */
  display?: string;
}

export function sshTargets(config: Pick<Config, 'frontend' | 'hypervisors' | 'ssh'>, inventory?: InventoryOutput): Record<string, HostTarget> {
  const direct = (h: HostConfig): SshEndpoint | undefined => {
    if (h.ssh) return { host: h.ssh.host, port: h.ssh.port };
    const ip = inventoryHost(inventory, h)?.public_ip;
    return ip ? { host: ip } : undefined;
  };
  const out: Record<string, HostTarget> = {};
  const fe = direct(config.frontend);
  out[config.frontend.name] = fe ? { endpoint: fe, display: show(fe) } : {};
  for (const h of config.hypervisors) {
    if (config.ssh.jump_via_frontend && fe && !h.ssh) {
      const ip = h.private_ip ?? inventoryHost(inventory, h)?.private_ip;
      if (ip) {
        out[h.name] = { endpoint: { host: ip, via: fe }, display: `${ip} via ${config.frontend.name}` };
        continue;
      }
    }
    const ep = direct(h);
    out[h.name] = ep ? { endpoint: ep, display: show(ep) } : {};
  }
  return out;
}

function show(ep: SshEndpoint): string {
  return ep.port && ep.port !== 22 ? `${ep.host}:${ep.port}` : ep.host;
}
