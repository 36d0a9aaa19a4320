// `onehost list -j` → one OpenNebulaView per host: state names (legacy codes included), the
// monitoring error, whether monitoring is stale, and the CPU/memory allocation.
import type { OpenNebulaView } from '../../domain/host.js';
import { asArray, asStrings, num, obj, str } from './onejson.js';

const HOST_STATES: Record<number, string> = {
  0: 'INIT',
  1: 'MONITORING_MONITORED',
  2: 'MONITORED',
  3: 'ERROR',
  4: 'DISABLED',
  5: 'MONITORING_ERROR',
  6: 'MONITORING_INIT',
  7: 'MONITORING_DISABLED',
  8: 'OFFLINE',
};

/** The state a legacy code behaves as: 1 → MONITORED, 5 → ERROR, 6 → INIT, 7 → DISABLED. */
export function effectiveHostState(state: number): number {
  return ({ 1: 2, 5: 3, 6: 0, 7: 4 } as Record<number, number>)[state] ?? state;
}

function hostStateName(state: number): string {
  return HOST_STATES[state] ?? `UNKNOWN(${state})`;
}

export interface HostParseOptions {
  /** epoch ms the output was read */
  now: number;
  staleAfterSeconds: number;
}

/** Parse the parsed JSON of `onehost list -j` (or `onehost show -j`). */
export function parseHostPool(json: unknown, opts: HostParseOptions): OpenNebulaView[] {
  const root = obj(json);
  const hosts = 'HOST_POOL' in root ? asArray(obj(root.HOST_POOL).HOST) : asArray(root.HOST);
  return hosts.map((h) => parseHost(h, opts));
}

function parseHost(h: Record<string, unknown>, opts: HostParseOptions): OpenNebulaView {
  const state = num(h.STATE) ?? -1;
  const share = obj(h.HOST_SHARE);
  const template = obj(h.TEMPLATE);
  const monitoring = obj(h.MONITORING);
  const ts = num(monitoring.TIMESTAMP);
  const monitoredAt = ts !== undefined && ts > 0 ? ts * 1000 : undefined;
  const eff = effectiveHostState(state);
  // OFFLINE hosts are not monitored on purpose; INIT ones have not been monitored yet
  const expectsMonitoring = eff === 2 || eff === 3 || eff === 4;
  const stale =
    expectsMonitoring &&
    (monitoredAt === undefined || opts.now - monitoredAt > opts.staleAfterSeconds * 1000);
  const error = str(template.ERROR)?.trim();
  const view: OpenNebulaView = {
    id: str(h.ID) ?? '',
    name: str(h.NAME) ?? '',
    state,
    stateName: hostStateName(state),
    stale,
    runningVms: num(share.RUNNING_VMS) ?? 0,
    vmIds: asStrings(obj(h.VMS).ID),
    at: opts.now,
  };
  if (error) view.error = error;
  if (monitoredAt !== undefined) view.monitoredAt = monitoredAt;
  const cpu = pct(num(share.CPU_USAGE), num(share.MAX_CPU));
  const mem = pct(num(share.MEM_USAGE), num(share.MAX_MEM));
  if (cpu !== undefined) view.cpuAllocPct = cpu;
  if (mem !== undefined) view.memAllocPct = mem;
  return view;
}

function pct(used: number | undefined, max: number | undefined): number | undefined {
  if (used === undefined || max === undefined || max <= 0) return undefined;
  return Math.round((used / max) * 100);
}
