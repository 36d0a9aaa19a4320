// The plan check of an add or a remove: the plan must touch exactly the hosts' own resources
// (terraform/*.tf creates one of each per host with `for_each = local.hosts`) and nothing else.
import { OnedeckError } from '../errors.js';

/** The resources terraform/ makes per host (keyed by the host name); test/unit checks the .tf files. */
export const PER_HOST_RESOURCES = [
  'scaleway_baremetal_server.host',
  'scaleway_flexible_ip.host',
  'scaleway_flexible_ip_mac_address.host',
  'scaleway_ipam_ip.management',
  'scaleway_ipam_ip.vmtovm',
] as const;

/** What a plan must at least do for each host: its server and its Flexible IP. */
export const REQUIRED_PER_HOST = ['scaleway_baremetal_server.host', 'scaleway_flexible_ip.host'] as const;

export interface PlanResourceLike {
  addr: string;
  action: string;
}

export interface PlanCheck {
  ok: boolean;
  /** resources the plan would touch that the operation must not (addr and action) */
  unexpected: PlanResourceLike[];
  /** required resources the plan does not create/destroy */
  missing: string[];
}

const PASSIVE = new Set(['noop', 'no-op', 'read']);

/** `scaleway_flexible_ip.host["kvm-4"]` → { base: 'scaleway_flexible_ip.host', key: 'kvm-4' } */
export function splitAddr(addr: string): { base: string; key?: string } {
  const m = /^(.*)\["([^"]+)"\]$/.exec(addr);
  return m ? { base: m[1], key: m[2] } : { base: addr };
}

export const hostAddr = (base: string, host: string) => `${base}["${host}"]`;

function check(resources: PlanResourceLike[], hosts: string[], wanted: 'create' | 'delete', perHost: readonly string[]): PlanCheck {
  const names = new Set(hosts);
  const bases = new Set(perHost);
  const unexpected: PlanResourceLike[] = [];
  const seen = new Set<string>();
  for (const r of resources) {
    if (PASSIVE.has(r.action)) continue;
    const { base, key } = splitAddr(r.addr);
    // an add may replace its hosts' own resources: an apply stopped mid-create left them tainted
    const ok = r.action === wanted || (wanted === 'create' && r.action === 'replace');
    if (key !== undefined && names.has(key) && bases.has(base) && ok) {
      seen.add(r.addr);
      continue;
    }
    unexpected.push({ addr: r.addr, action: r.action });
  }
  const missing = hosts.flatMap((h) => REQUIRED_PER_HOST.map((b) => hostAddr(b, h))).filter((a) => !seen.has(a));
  return { ok: unexpected.length === 0 && missing.length === 0, unexpected, missing };
}

/** An add must create exactly the new hosts' resources (at least server + Flexible IP). */
export function checkAddPlan(resources: PlanResourceLike[], newHosts: string[], perHost: readonly string[] = PER_HOST_RESOURCES): PlanCheck {
  return check(resources, newHosts, 'create', perHost);
}

/** A remove must destroy exactly that host's resources (at least server + Flexible IP). */
export function checkRemovePlan(resources: PlanResourceLike[], host: string, perHost: readonly string[] = PER_HOST_RESOURCES): PlanCheck {
  return check(resources, [host], 'delete', perHost);
}

/** The refusal a person sees, listing what the plan would touch. */
export function planCheckError(c: PlanCheck, what: string): OnedeckError {
  const lines = [
    ...c.unexpected.map((r) => `  ${r.action} ${r.addr}`),
    ...c.missing.map((a) => `  (missing) ${a}`),
  ];
  return new OnedeckError(`the plan for ${what} would touch more than it should, so nothing was applied:\n${lines.join('\n')}`, {
    hint: 'Review the plan (p) and fix the drift it shows, then resume the operation.',
    exitCode: 1,
  });
}
