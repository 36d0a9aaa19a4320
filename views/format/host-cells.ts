// How one host becomes one table row: each cell says its value, its tone and, when the value is
// old, its age. Columns drop by priority on narrow terminals (name and verdict stay).
import type { HostRow, VerdictKind } from '../../src/domain/host.js';
import type { SortKey } from '../../src/store/ui-store.js';
import type { Tone } from '../theme/theme.js';
import { age, fit, isStale, type Seg } from './text.js';

export interface CellCtx {
  now: number;
  refreshSeconds: number;
}

export interface Column {
  id: string;
  title: string;
  /** columns on screen, the separating space included (the last column has none) */
  width: number;
  /** lower stays longer */
  prio: number;
  sort?: SortKey;
  cell(h: HostRow, c: CellCtx): Seg;
}

export const VERDICT_TONE: Record<VerdictKind, Tone> = { healthy: 'ok', degraded: 'warn', down: 'bad', pending: 'accent', unknown: 'dim' };

const none: Seg = { text: '—', tone: 'dim' };

/** a value with its age appended when stale, dimmed */
function aged(text: string, tone: Tone, at: number | undefined, c: CellCtx): Seg {
  if (isStale(at, c.now, c.refreshSeconds)) return { text: `${text} ${at === undefined ? '?' : age(c.now - at)}`, tone: 'dim' };
  return { text, tone };
}

export function scalewayCell(h: HostRow, c: CellCtx): Seg {
  const s = h.scaleway;
  if (!s) return h.sourceErrors.scaleway ? { text: 'error', tone: 'bad' } : none;
  if (s.status === 'ready') {
    if (s.installStatus === 'completed') return aged('ready · installed', 'plain', s.at, c);
    if (s.installStatus === 'error') return aged('ready · install error', 'bad', s.at, c);
    if (s.installStatus === 'installing' || s.installStatus === 'to_install') return aged('ready · installing', 'warn', s.at, c);
    return aged('ready', 'plain', s.at, c);
  }
  const tone: Tone = s.status === 'error' || s.status === 'out_of_stock' || s.status === 'locked' ? 'bad' : 'warn';
  return aged(s.status, tone, s.at, c);
}

export function opennebulaCell(h: HostRow, c: CellCtx): Seg {
  const o = h.opennebula;
  if (!o) return h.sourceErrors.opennebula ? { text: 'error', tone: 'bad' } : none;
  const since = o.monitoredAt ?? o.at;
  const text = `${o.stateName} ${age(c.now - since)}`;
  if (o.stale || isStale(o.at, c.now, c.refreshSeconds)) return { text, tone: 'dim' };
  const tone: Tone = o.stateName === 'MONITORED' ? 'plain' : o.stateName === 'ERROR' ? 'bad' : 'warn';
  return { text, tone };
}

/** a failed probe in a word or two: the full message is in the verdict and the host detail */
export function sshFailure(error: string | undefined, alarm = false): string {
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

export function sshCell(h: HostRow, c: CellCtx): Seg {
  const p = h.probe;
  if (!p) return h.sourceErrors.ssh ? { text: 'error', tone: 'bad' } : none;
  if (!p.reachable) return aged(sshFailure(p.error, p.hostKeyAlarm), 'bad', p.at, c);
  return aged(p.rttMs === undefined ? 'ok' : `${p.rttMs} ms`, 'plain', p.at, c);
}

export function verdictCell(h: HostRow): Seg {
  const r = h.verdict.reasons[0];
  return { text: r ? `${h.verdict.kind}: ${r}` : h.verdict.kind, tone: VERDICT_TONE[h.verdict.kind] };
}

const pct = (v: number | undefined): Seg => (v === undefined ? none : { text: `${Math.round(v)}%` });

export function hostColumns(hosts: HostRow[]): Column[] {
  const nameW = Math.max(4, ...hosts.map((h) => h.key.length)) + 2;
  return [
    { id: 'name', title: 'NAME', width: nameW, prio: 0, sort: 'name', cell: (h) => ({ text: h.key, tone: 'title' }) },
    { id: 'role', title: 'ROLE', width: 12, prio: 2, sort: 'role', cell: (h) => ({ text: h.role }) },
    { id: 'scaleway', title: 'SCALEWAY', width: 22, prio: 3, sort: 'scaleway', cell: scalewayCell },
    { id: 'opennebula', title: 'OPENNEBULA', width: 16, prio: 1, sort: 'opennebula', cell: opennebulaCell },
    { id: 'vms', title: 'VMS', width: 5, prio: 5, cell: (h) => (h.opennebula ? { text: String(h.opennebula.runningVms) } : none) },
    { id: 'cpu', title: 'CPU', width: 6, prio: 6, cell: (h) => pct(h.opennebula?.cpuAllocPct) },
    { id: 'mem', title: 'MEM', width: 6, prio: 6, cell: (h) => pct(h.opennebula?.memAllocPct) },
    { id: 'ssh', title: 'SSH', width: 16, prio: 4, cell: sshCell },
    { id: 'verdict', title: 'VERDICT', width: 0, prio: 0, sort: 'verdict', cell: (h) => verdictCell(h) },
  ];
}

export const MARKER_WIDTH = 2;

/** a cell's text cut to its column: one space always separates it from the next column */
export function cellText(text: string, col: Column, last: boolean): string {
  return last ? fit(text, col.width) : `${fit(text, Math.max(0, col.width - 1))} `;
}

const VERDICT_MIN = 24;

const VERDICT_WANT = 40;

/** room the verdict asks for: its longest text, between 24 and 40 columns */
export function verdictWant(hosts: HostRow[]): number {
  return Math.min(VERDICT_WANT, Math.max(VERDICT_MIN, ...hosts.map((h) => verdictCell(h).text.length)));
}

/** the columns that fit in `width`, dropping by priority until the verdict gets `want` columns; the verdict takes what is left */
export function fitColumns(cols: Column[], width: number, want = VERDICT_MIN): Column[] {
  let kept = cols.slice();
  const used = () => MARKER_WIDTH + kept.reduce((a, c) => a + c.width, 0);
  while (used() + want > width) {
    const drop = kept.filter((c) => c.prio > 0).sort((a, b) => b.prio - a.prio)[0];
    if (!drop) break;
    kept = kept.filter((c) => c !== drop);
  }
  const rest = Math.max(8, width - used());
  return kept.map((c) => (c.id === 'verdict' ? { ...c, width: rest } : c));
}
