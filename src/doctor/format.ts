// `onedeck doctor`'s words: one line per check (OK / WARN / FAIL, what, what was found), the fix
// indented under it; or the report as JSON, never cut.
import type { CheckState, DoctorReport } from '../domain/doctor.js';

export const STATE_WORD: Record<CheckState, string> = { ok: 'OK', warn: 'WARN', fail: 'FAIL' };

export function formatDoctor(report: DoctorReport, opts: { json: boolean }): string {
  if (opts.json) return `${JSON.stringify(report, null, 2)}\n`;
  const w = Math.max(...report.checks.map((c) => c.title.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${STATE_WORD[c.state].padEnd(4)}  ${c.title.padEnd(w)}  ${c.detail}`);
    if (c.fix && c.state !== 'ok') lines.push(`${' '.repeat(6 + w + 2)}fix: ${c.fix}`);
  }
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(report: DoctorReport): string {
  const n = (s: CheckState) => report.checks.filter((c) => c.state === s).length;
  const verdict = n('fail') ? 'onedeck cannot work until every FAIL is fixed' : n('warn') ? 'ready; the WARN lines say what is still missing' : 'all green';
  return `${n('ok')} OK, ${n('warn')} WARN, ${n('fail')} FAIL — ${verdict} (exit ${report.exitCode})`;
}
