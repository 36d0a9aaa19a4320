// `:doctor`: the prerequisites, OK / WARN / FAIL with the fix, as `onedeck doctor` prints them.
// The doctor action runs the checks and publishes the report into the cluster store.
import React from 'react';
import type { CheckResult } from '../../src/domain/doctor.js';
import { formatAge } from '../../src/domain/time-format.js';
import { useAgeNow, useCluster } from '../app/context.js';
import { fit, type Seg } from '../format/text.js';
import type { Tone } from '../theme/theme.js';
import { Document } from '../widgets/Document.js';

const WORD: Record<CheckResult['state'], [string, Tone]> = { ok: ['OK', 'ok'], warn: ['WARN', 'warn'], fail: ['FAIL', 'bad'] };

export function doctorLines(checks: CheckResult[], width: number): Seg[][] {
  const titleW = Math.min(Math.max(...checks.map((c) => c.title.length)) + 2, Math.floor(width * 0.4));
  const lines: Seg[][] = [];
  for (const c of checks) {
    const [word, tone] = WORD[c.state];
    lines.push([{ text: fit(word, 6), tone }, { text: fit(c.title, titleW), tone: 'title' }, { text: c.detail }]);
    if (c.fix && c.state !== 'ok') lines.push([{ text: ' '.repeat(6 + titleW) }, { text: `fix: ${c.fix}`, tone: 'dim' }]);
  }
  return lines;
}

export function DoctorScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const d = useCluster((s) => s.doctor);
  const at = d?.report?.at;
  const now = useAgeNow((t) => (at === undefined ? '' : formatAge(t - at)));
  const lines: Seg[][] = [];
  if (d?.report) lines.push(...doctorLines(d.report.checks, width - 2));
  if (d?.error) lines.push([], [{ text: `the checks could not run: ${d.error}`, tone: 'bad' }]);
  if (!d?.report && !d?.error) lines.push([{ text: d?.running ? 'checking…' : 'no checks run yet: :doctor runs them', tone: 'dim' }]);
  const r = d?.report;
  const n = (s: CheckResult['state']) => r?.checks.filter((c) => c.state === s).length ?? 0;
  const title: Seg[] = [{ text: 'Doctor', tone: 'title' }];
  if (r) title.push({ text: ` · ${n('ok')} OK · ${n('warn')} WARN · ${n('fail')} FAIL`, tone: n('fail') ? 'bad' : n('warn') ? 'warn' : 'ok' }, { text: ` · ${formatAge(now - r.at)} ago`, tone: 'dim' });
  if (d?.running) title.push({ text: ' · checking…', tone: 'accent' });
  return <Document title={title} lines={lines} width={width} height={height} />;
}
