// How one host becomes one table row, in words: each cell says its value, its tone and, when the
// value is old, its age. The TUI (views/format/host-cells.ts adds widths and colours) and
// `onedeck status` (src/cli/status.ts) both print these cells, so both say the same words.
import type { HostRow, VerdictKind } from './host.js';
import { formatAge } from './time-format.js';

/** what a cell means; the views map it to a colour (or to an attribute without colour) */
export type CellTone = 'plain' | 'ok' | 'warn' | 'bad' | 'dim' | 'accent' | 'title';

export interface Cell {
  text: string;
  tone?: CellTone;
}

export interface CellCtx {
  now: number;
  refreshSeconds: number;
}

export type HostSortKey = 'name' | 'role' | 'verdict' | 'scaleway' | 'opennebula' | 'vms' | 'cpu' | 'mem' | 'ssh';

export interface HostColumn {
  id: string;
  title: string;
  /** columns on screen, the separating space included (the last column has none) */
  width: number;
  /** lower stays longer on a narrow terminal */
  prio: number;
  sort?: HostSortKey;
  cell(h: HostRow, c: CellCtx): Cell;
}

export const VERDICT_TONE: Record<VerdictKind, CellTone> = { healthy: 'ok', degraded: 'warn', down: 'bad', pending: 'accent', unknown: 'dim' };

/** a value older than three refresh intervals (and at least 15 s) is stale: shown dim, with its age */
export function isStale(at: number | undefined, now: number, refreshSeconds: number): boolean {
  return at === undefined || now - at > Math.max(3 * refreshSeconds * 1000, 15_000);
}

const none: Cell = { text: '—', tone: 'dim' };

/** a value with its age appended when stale, dimmed */
function aged(text: string, tone: CellTone, at: number | undefined, c: CellCtx): Cell {
  if (isStale(at, c.now, c.refreshSeconds)) return { text: `${text} ${at === undefined ? '?' : formatAge(c.now - at)}`, tone: 'dim' };
  return { text, tone };
}

export function scalewayCell(h: HostRow, c: CellCtx): Cell {
  const s = h.scaleway;
  if (!s) return h.sourceErrors.scaleway ? { text: 'error', tone: 'bad' } : none;
  if (s.status === 'ready') {
    if (s.installStatus === 'completed') return aged('ready · installed', 'plain', s.at, c);
    if (s.installStatus === 'error') return aged('ready · install error', 'bad', s.at, c);
    if (s.installStatus === 'installing' || s.installStatus === 'to_install') return aged('ready · installing', 'warn', s.at, c);
    return aged('ready', 'plain', s.at, c);
  }
  const tone: CellTone = s.status === 'error' || s.status === 'out_of_stock' || s.status === 'locked' ? 'bad' : 'warn';
  return aged(s.status, tone, s.at, c);
}

/** the OpenNebula state with the age of its last monitoring ("MONITORED 12s") */
function opennebulaCell(h: HostRow, c: CellCtx): Cell {
  const o = h.opennebula;
  if (!o) return h.sourceErrors.opennebula ? { text: 'error', tone: 'bad' } : none;
  // the same age as the verdict's reason: since the state began (ERROR, DISABLED…), since the last monitoring when MONITORED
  const since = o.stateName === 'MONITORED' ? o.monitoredAt ?? o.at : o.stateSince ?? o.monitoredAt ?? o.at;
  const text = `${o.stateName} ${formatAge(c.now - since)}`;
  // a stale ERROR is still an error: red, not dim
  if (o.stale || isStale(o.at, c.now, c.refreshSeconds)) return { text, tone: o.stateName === 'ERROR' ? 'bad' : 'dim' };
  const tone: CellTone = o.stateName === 'MONITORED' ? 'plain' : o.stateName === 'ERROR' ? 'bad' : 'warn';
  return { text, tone };
}

/** a failed probe in a word or two: the full message is in the verdict and the host detail */
function sshFailure(error: string | undefined, alarm = false): string {
  const e = (error ?? '').toLowerCase();
  if (alarm || /alarm|host key .*chang|revoked/.test(e)) return 'KEY ALARM';
  if (/unknown host key/.test(e)) return 'unknown key';
  if (/refused/.test(e)) return 'refused';
  if (/timeout|timed out/.test(e)) return 'timeout';
  if (/auth/.test(e)) return 'auth failed';
  if (/resolve|dns|enotfound|eai_again/.test(e)) return 'dns';
  if (/unreachable|no route|ehostunreach|enetunreach/.test(e)) return 'unreachable';
  if (/closed|reset/.test(e)) return 'closed';
  if (/probe output|parse/.test(e)) return 'bad probe';
  return e ? 'failed' : 'unreachable';
}

export function sshCell(h: HostRow, c: CellCtx): Cell {
  const p = h.probe;
  if (!p) return h.sourceErrors.ssh ? { text: 'error', tone: 'bad' } : none;
  if (!p.reachable) return aged(sshFailure(p.error, p.hostKeyAlarm), 'bad', p.at, c);
  // the time until the probe's first output, not a network round trip: labelled as such
  return aged(p.rttMs === undefined ? 'ok' : `probe ${p.rttMs} ms`, 'plain', p.at, c);
}

/** the verdict with its first reason ("degraded: libvirtd inactive") */
export function verdictCell(h: HostRow): Cell {
  const r = h.verdict.reasons[0];
  return { text: r ? `${h.verdict.kind}: ${r}` : h.verdict.kind, tone: VERDICT_TONE[h.verdict.kind] };
}

const pct = (v: number | undefined): Cell => (v === undefined ? none : { text: `${Math.round(v)}%` });

/** every column of the host table, in order; `status` prints them all, the TUI drops some on narrow terminals */
export function hostColumns(hosts: HostRow[]): HostColumn[] {
  // room for the title and its sort arrow ("NAME ▲") however short the names are
  const nameW = Math.max('NAME ▲'.length + 1, ...hosts.map((h) => h.key.length + 2));
  return [
    { id: 'name', title: 'NAME', width: nameW, prio: 0, sort: 'name', cell: (h) => ({ text: h.key, tone: 'title' }) },
    { id: 'role', title: 'ROLE', width: 12, prio: 2, sort: 'role', cell: (h) => ({ text: h.role }) },
    { id: 'scaleway', title: 'SCALEWAY', width: 22, prio: 3, sort: 'scaleway', cell: scalewayCell },
    { id: 'opennebula', title: 'OPENNEBULA', width: 16, prio: 1, sort: 'opennebula', cell: opennebulaCell },
    { id: 'vms', title: 'VMS', width: 6, prio: 5, sort: 'vms', cell: (h) => (h.opennebula ? { text: String(h.opennebula.runningVms) } : none) },
    { id: 'cpu', title: 'CPU', width: 6, prio: 6, sort: 'cpu', cell: (h) => pct(h.opennebula?.cpuAllocPct) },
    { id: 'mem', title: 'MEM', width: 6, prio: 6, sort: 'mem', cell: (h) => pct(h.opennebula?.memAllocPct) },
    { id: 'ssh', title: 'SSH', width: 16, prio: 4, sort: 'ssh', cell: sshCell },
    { id: 'verdict', title: 'VERDICT', width: 0, prio: 0, sort: 'verdict', cell: (h) => verdictCell(h) },
  ];
}
