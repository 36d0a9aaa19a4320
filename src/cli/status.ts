// `onedeck status [--json]`: one sweep, printed as a table or as the model in JSON. Exit code 0
// healthy, 1 degraded (or pending, or drift), 2 a host down or not knowable.
import type { Config } from '../config/schema.js';
import type { ClusterDrift, HostRow } from '../domain/host.js';
import { hostColumns } from '../domain/host-cells.js';
import { Sweeper, type SweepDeps } from '../health/sweep.js';
import { accessLines, type CredentialAccess } from '../domain/credential-access.js';

export interface StatusResult {
  rows: HostRow[];
  drift: ClusterDrift[];
  sourceErrors: Record<string, string>;
  /** what the credentials leave out */
  access?: CredentialAccess;
  exitCode: 0 | 1 | 2;
  refreshedAt?: number;
}

export async function collectStatus(config: Config, deps: SweepDeps = {}): Promise<StatusResult> {
  const sweeper = new Sweeper(config, deps);
  try {
    const r = await sweeper.sweep();
    return { rows: r.rows, drift: r.drift, sourceErrors: r.sourceErrors, access: r.access, exitCode: r.exitCode, refreshedAt: r.refreshedAt };
  } finally {
    await sweeper.close();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** `refreshSeconds` decides when a value counts as stale (then its age follows it, as in the TUI) */
export function formatStatus(result: StatusResult, opts: { json: boolean; now: number; refreshSeconds?: number }): string {
  if (opts.json) {
    return `${JSON.stringify({ rows: result.rows, drift: result.drift, sourceErrors: result.sourceErrors, access: result.access, exitCode: result.exitCode, refreshedAt: result.refreshedAt }, null, 2)}\n`;
  }
  // the TUI's columns and words (src/domain/host-cells.ts), all of them, without colour
  const cols = hostColumns(result.rows);
  const ctx = { now: opts.now, refreshSeconds: opts.refreshSeconds ?? 30 };
  const head = cols.map((c) => c.title);
  const body = result.rows.map((r) => cols.map((c) => c.cell(r, ctx).text));
  const out = [table([head, ...body])];
  // the table shows each host's first reason; the others are listed here
  const more = result.rows.filter((r) => r.verdict.reasons.length > 1);
  if (more.length) {
    out.push('', 'Reasons:');
    // source errors are listed once, below, not once per host
    const fromSources = (reason: string) => Object.keys(result.sourceErrors).some((src) => reason.startsWith(`${src}: `));
    for (const r of more) for (const reason of r.verdict.reasons.slice(1)) if (!fromSources(reason)) out.push(`  ${r.key}: ${reason}`);
    while (out[out.length - 1] === 'Reasons:') out.splice(-2, 2); // only source errors: listed below
  }
  if (result.drift.length) {
    out.push('', 'Drift:');
    for (const d of result.drift) out.push(`  ${d.kind}  ${d.subject}: ${d.detail}`);
  }
  const errs = Object.entries(result.sourceErrors);
  if (errs.length) {
    out.push('', 'Sources that could not be read:');
    for (const [src, msg] of errs) out.push(`  ${src}: ${msg}`);
  }
  const lacks = accessLines(result.access);
  if (lacks.length) {
    out.push('', 'Credentials:');
    for (const l of lacks) out.push(`  ${l}`);
  }
  out.push('', summaryLine(result));
  return `${out.join('\n')}\n`;
}

/** "4 hosts: 3 healthy, 1 degraded; 1 drift — cluster degraded (exit 1)" */
function summaryLine(result: Pick<StatusResult, 'rows' | 'drift' | 'exitCode'>): string {
  const counts = new Map<string, number>();
  for (const r of result.rows) counts.set(r.verdict.kind, (counts.get(r.verdict.kind) ?? 0) + 1);
  const order = ['healthy', 'pending', 'degraded', 'down', 'unknown'];
  const parts = order.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`);
  const drift = result.drift.length ? `; ${result.drift.length} drift${result.drift.length === 1 ? '' : 's'}` : '';
  // exit 2 also means a source could not be read (in part) while every host looks fine: say that
  const hostsBad = result.rows.some((r) => r.verdict.kind === 'down' || r.verdict.kind === 'unknown');
  const overall =
    result.exitCode === 2 && !hostsBad
      ? 'cluster not fully known: a source could not be read'
      : { 0: 'cluster healthy', 1: 'cluster degraded', 2: 'cluster has hosts down or unknown' }[result.exitCode];
  const n = result.rows.length;
  return `${n} host${n === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}${drift} — ${overall} (exit ${result.exitCode})`;
}
