// What each screen lists, in which order, after the filter: shared by the UI actions (to move the
// selection and open the selected item) and the views (to draw the same list). Pure functions.
import { compareNatural } from './natural-order.js';
import stripAnsi from 'strip-ansi';
import type { ClusterState } from '../store/cluster-store.js';
import { currentScreen, defaultPane, type PaneState, type SortKey, type UiState } from '../store/ui-store.js';
import type { HostRow, VerdictKind } from '../domain/host.js';
import type { JobRecord } from '../domain/job.js';
import type { RingBuffer } from '../logs/ring-buffer.js';
import { jobLogId } from '../logs/log-id.js';
import { hostColumns } from '../domain/host-cells.js';
import { opJobId } from './op-lists.js';

/** the sortable columns in the table's order (s cycles through them left to right) */
export const SORT_KEYS: SortKey[] = hostColumns([]).flatMap((c) => (c.sort ? [c.sort] : []));

/** worst first, so a sort by verdict puts the hosts that need attention on top */
const VERDICT_RANK: Record<VerdictKind, number> = { down: 0, degraded: 1, pending: 2, unknown: 3, healthy: 4 };

/** why a filter is not a valid regular expression (it then matches as plain text), or undefined */
export function filterProblem(filter: string): string | undefined {
  const f = filter.trim();
  if (!f) return undefined;
  try {
    new RegExp(f, 'i');
    return undefined;
  } catch (err) {
    return `invalid pattern: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}; matching it as text`;
  }
}

/** A filter is a case-insensitive regular expression; text that is not a valid one matches literally. */
export function makeMatcher(filter: string): (text: string) => boolean {
  const f = filter.trim();
  if (!f) return () => true;
  try {
    const re = new RegExp(f, 'i');
    return (text) => re.test(text);
  } catch {
    const low = f.toLowerCase();
    return (text) => text.toLowerCase().includes(low);
  }
}

export function hostSearchText(h: HostRow): string {
  return [h.key, h.role, h.verdict.kind, ...h.verdict.reasons].join(' ');
}

function sortValue(h: HostRow, key: SortKey): string | number {
  switch (key) {
    case 'role':
      return h.role === 'frontend' ? `0${h.key}` : `1${h.key}`;
    case 'verdict':
      return VERDICT_RANK[h.verdict.kind];
    case 'scaleway':
      return h.scaleway ? `${h.scaleway.status} ${h.scaleway.installStatus}` : '~';
    case 'opennebula':
      return h.opennebula?.stateName ?? '~';
    // numbers: hosts without a value sort last (-1 before 0 when reversed)
    case 'vms':
      return h.opennebula?.runningVms ?? -1;
    case 'cpu':
      return h.opennebula?.cpuAllocPct ?? -1;
    case 'mem':
      return h.opennebula?.memAllocPct ?? -1;
    case 'ssh':
      return !h.probe ? 2e9 : h.probe.reachable ? h.probe.rttMs ?? 0 : 1e9;
    default:
      return h.key;
  }
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareNatural(String(a), String(b));
}

/** the hosts table as shown: filtered (or inverted), then sorted, ties broken by name */
export function visibleHosts(cluster: Pick<ClusterState, 'hosts'>, ui: Pick<UiState, 'filter' | 'filterInverted' | 'sort' | 'sortDesc'>): HostRow[] {
  const match = makeMatcher(ui.filter);
  const rows = cluster.hosts.filter((h) => match(hostSearchText(h)) !== ui.filterInverted);
  rows.sort((a, b) => {
    const c = compareValues(sortValue(a, ui.sort), sortValue(b, ui.sort)) || compareNatural(a.key, b.key);
    return ui.sortDesc ? -c : c;
  });
  return rows;
}

export function jobSearchText(j: JobRecord): string {
  return [j.id, j.kind, j.state, j.title, j.user, j.summary ?? ''].join(' ');
}

/** Does the command log on top of this stack show every cluster's jobs (`:jobs --all`)? */
export function showsAllJobs(ui: Pick<UiState, 'stack'>): boolean {
  const top = ui.stack[ui.stack.length - 1];
  return top?.id === 'jobs' && top.arg === 'all';
}

/** the command log as shown: newest first, filtered; with `:jobs --all` the other clusters' jobs too (marked, read-only) */
export function visibleJobs(
  cluster: Pick<ClusterState, 'jobs'> & { otherJobs?: JobRecord[] },
  ui: Pick<UiState, 'filter' | 'filterInverted'> & { stack?: UiState['stack'] },
): JobRecord[] {
  const match = makeMatcher(ui.filter);
  const others = ui.stack && showsAllJobs({ stack: ui.stack }) ? (cluster.otherJobs ?? []) : [];
  const jobs = others.length ? [...cluster.jobs, ...others].sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id)) : cluster.jobs;
  return jobs.filter((j) => match(jobSearchText(j)) !== ui.filterInverted);
}

/** the job whose log the main screen and the logs screen show */
export function paneJobId(cluster: Pick<ClusterState, 'jobs'>, ui: Pick<UiState, 'focusedJob'>): string | undefined {
  if (ui.focusedJob && cluster.jobs.some((j) => j.id === ui.focusedJob)) return ui.focusedJob;
  return cluster.jobs[0]?.id;
}


/** the log the log keys act on right now, if any */
export function activeLogId(cluster: Pick<ClusterState, 'jobs'>, ui: UiState): string | undefined {
  const s = currentScreen(ui);
  if (s.id === 'hooklog') return s.logId;
  if (s.id === 'op') {
    const j = opJobId((cluster as Partial<Pick<ClusterState, 'operations'>>).operations?.find((o) => o.id === s.arg));
    return j ? jobLogId(j) : undefined;
  }
  if (s.id === 'logs' || (s.id === 'hosts' && ui.focus === 'log')) {
    const id = paneJobId(cluster, ui);
    return id ? jobLogId(id) : undefined;
  }
  return undefined;
}

export function paneOf(ui: Pick<UiState, 'panes'>, id: string): PaneState {
  return ui.panes[id] ?? defaultPane();
}

/** absolute numbers of the held lines that contain `query` (case-insensitive, colours ignored) */
export function searchLog(buf: RingBuffer, query: string, cap = 10_000): number[] {
  const q = query.toLowerCase();
  const out: number[] = [];
  if (!q) return out;
  for (let n = buf.first(); n < buf.total() && out.length < cap; n++) {
    const line = buf.get(n);
    if (line && stripAnsi(line.text).toLowerCase().includes(q)) out.push(n);
  }
  return out;
}
