// The verdict of one host from every source's view of it: pending while Scaleway still delivers or
// installs it; down when the machine is unreachable or failed at Scaleway; unknown when a source could not be read; degraded
// for anything that needs a look; healthy otherwise. Reasons say why and since when.
import type { HostRow, Verdict, VerdictKind } from '../domain/host.js';
import { effectiveHostState } from '../adapters/opennebula/hosts.js';
import { formatAge } from '../domain/time-format.js';

export const SERVER_TRANSIENT = new Set(['delivering', 'ordered', 'starting', 'stopping', 'resetting', 'migrating', 'deleting']);
export const SERVER_BROKEN = new Set(['error', 'stopped', 'locked', 'out_of_stock']);
export const INSTALL_TRANSIENT = new Set(['to_install', 'installing']);
/** the row drift of a host that is configured but has no server yet */
export const NOT_AT_SCALEWAY = 'in config but not at Scaleway';


export interface VerdictContext {
  now: number;
  /** the host has an SSH address at all */
  hasAddress: boolean;
  /** the repo ships Flexible-IP hooks (so a host without them is degraded) */
  repoHasHooks: boolean;
  diskWarnPct?: number;
}

const since = (now: number, t: number | undefined) => (t === undefined ? '' : ` ${formatAge(now - t)}`);

export function computeVerdict(row: Omit<HostRow, 'verdict'>, ctx: VerdictContext): Verdict {
  const { now } = ctx;
  const sc = row.scaleway;
  const one = row.opennebula;
  const pr = row.probe;
  const drift = row.drift.map((d) => `drift: ${d}`);

  // pending: Scaleway has not handed the machine over yet; ssh and OpenNebula failures are expected
  if (sc && (SERVER_TRANSIENT.has(sc.status) || (sc.status === 'ready' && INSTALL_TRANSIENT.has(sc.installStatus)))) {
    const what = SERVER_TRANSIENT.has(sc.status) ? sc.status : sc.installStatus === 'to_install' ? 'waiting for OS install' : 'installing';
    // a source that could not be read is said, as for any verdict: the status may be an old read
    const unread = Object.entries(row.sourceErrors)
      .filter(([src]) => src !== 'ssh')
      .map(([src, msg]) => `${src}: ${firstSentence(msg)}`);
    return { kind: 'pending', reasons: [`${what}${since(now, sc.statusSince ?? sc.updatedAt)}`, ...drift, ...unread] };
  }

  // configured, but no server yet and nothing else knows it: it waits for a plan and an apply
  if (!sc && !one && row.drift.includes(NOT_AT_SCALEWAY) && !row.sourceErrors.scaleway) {
    return { kind: 'pending', reasons: ['no server yet: plan and apply (p, then a) to create it'] };
  }

  // a server at Scaleway that OpenNebula does not know yet (and that answers over SSH): libvirtd,
  // hooks and monitoring are expected to be missing until OneDeploy ran
  // (the frontend: its OpenNebula CLI is not there yet; a hypervisor: OpenNebula answers without it)
  const notDeployed =
    row.role === 'frontend' ? /not installed|command not found/i.test(row.sourceErrors.opennebula ?? '') : !one && !row.sourceErrors.opennebula;
  if (sc && sc.status === 'ready' && sc.installStatus === 'completed' && notDeployed && pr?.reachable && !pr.hostKeyAlarm) {
    return { kind: 'pending', reasons: ['not deployed yet: press d (deploy OpenNebula)', ...drift] };
  }

  const down: string[] = [];
  const unknown: string[] = [];
  const degraded: string[] = [];

  if (sc) {
    if (SERVER_BROKEN.has(sc.status)) down.push(`server ${sc.status} at Scaleway${since(now, sc.statusSince ?? sc.updatedAt)}`);
    if (sc.installStatus === 'error') down.push('OS install failed at Scaleway');
    if (sc.pingStatus === 'ping_status_down') {
      // Scaleway pings over ICMP, which a firewall may drop: when SSH answers, the server is up
      if (pr?.reachable) degraded.push('Scaleway sees no ping (ICMP filtered?) though SSH answers');
      else down.push('server does not ping (Scaleway)');
    }
  }

  // OpenNebula's view first: it is what the operator acts on
  if (one) {
    const eff = effectiveHostState(one.state);
    // TEMPLATE.ERROR starts with oned's own timestamp ("Fri Nov 27 14:26:51 2026 : Error …"): the age says it better
    // never cut here: JSON carries the whole text; the table cuts it visibly (…), the detail wraps it
    const err = one.error ? `: ${one.error.split('\n')[0].replace(/^\w{3} \w{3} +\d+ [\d:]+ \d{4} : /, '')}` : '';
    // ERROR means OpenNebula's monitoring failed; the machine may still answer (ssh says whether it is down)
    if (eff === 3) degraded.push(`monitoring failed${since(now, one.stateSince ?? one.monitoredAt)} (OpenNebula ERROR)${err}`);
    else if (eff === 8) degraded.push(`offline in OpenNebula${since(now, one.stateSince)}: no VM is placed or monitored`);
    else if (eff === 4) degraded.push(`disabled in OpenNebula${since(now, one.stateSince)}`);
    else if (eff === 0) degraded.push('OpenNebula INIT: not monitored yet');
    if (one.stale && eff !== 3) {
      degraded.push(one.monitoredAt ? `monitoring stale: last ${formatAge(now - one.monitoredAt)} ago` : 'never monitored');
    }
  }

  if (pr) {
    if (!pr.reachable) {
      const last = pr.lastOkAt !== undefined ? ` (last ok ${formatAge(now - pr.lastOkAt)} ago)` : '';
      down.push(`${pr.hostKeyAlarm ? 'ALARM ' : ''}ssh: ${pr.error ?? 'unreachable'}${last}`);
    } else {
      // libvirtd down is the cause of OpenNebula's monitoring error: the row's first reason
      if (pr.libvirtdState && pr.libvirtdState !== 'active') degraded.unshift(`libvirtd ${pr.libvirtdState}`);
      if (pr.kvm === false) degraded.push('kvm module not loaded');
      if (pr.hooks) {
        if (!pr.hooks.dir && ctx.repoHasHooks) degraded.push(`Flexible-IP hooks not installed on ${row.key}`);
        else if (!pr.hooks.preOk || !pr.hooks.cleanOk) degraded.push(`hooks outdated on ${row.key} (${pr.hooks.detail ?? 'differ from hooks/'})`);
      }
      if (pr.hookErrors24h) degraded.push(`${pr.hookErrors24h} Flexible-IP hook error${pr.hookErrors24h > 1 ? 's' : ''} in 24h`);
      if (pr.diskUsedPct !== undefined && pr.diskUsedPct >= (ctx.diskWarnPct ?? 90)) degraded.push(`disk of /var/lib/one ${pr.diskUsedPct}% full`);
    }
  } else if (!ctx.hasAddress) {
    unknown.push('no address: run plan/apply first');
  }

  for (const [src, msg] of Object.entries(row.sourceErrors)) {
    if (src === 'ssh') continue; // already a "down" reason through the probe
    unknown.push(`${src}: ${firstSentence(msg)}`);
  }

  degraded.push(...drift);
  // what is known to be wrong comes before what could not be read: a host with libvirtd down is
  // degraded even while the Scaleway API is unreachable; "unknown" only replaces "healthy"
  const kind: VerdictKind = down.length ? 'down' : degraded.length ? 'degraded' : unknown.length ? 'unknown' : 'healthy';
  return { kind, reasons: [...down, ...degraded, ...unknown] };
}

/** The message part of "message.\nhint" or "message. Hint.", whole (screens cut it visibly, JSON never). */
export function firstSentence(msg: string): string {
  const m = /^(.*?[^.])\.(\s|$)/s.exec(msg.split('\n')[0]);
  return (m ? m[1] : msg.split('\n')[0]).trim();
}

/** 0 all healthy, 1 degraded or pending (or drift), 2 any host down or not knowable, or a source unreadable. */
export function exitCodeFor(rows: Pick<HostRow, 'verdict'>[], driftCount = 0, unreadableSources = 0): 0 | 1 | 2 {
  if (unreadableSources > 0 || rows.some((r) => r.verdict.kind === 'down' || r.verdict.kind === 'unknown')) return 2;
  if (driftCount > 0 || rows.some((r) => r.verdict.kind !== 'healthy')) return 1;
  return 0;
}
