// The command log: every job with who started it, when, how long, how it ended.
import React from 'react';
import { useShallow } from 'zustand/react/shallow';
import { visibleJobs } from '../../src/actions/ui-lists.js';
import type { JobRecord } from '../../src/domain/job.js';
import { useCluster, useNow, useUi, useViewport } from '../app/context.js';
import { listTop } from '../../src/store/viewport.js';
import { fit, type Seg } from '../format/text.js';
import { formatClock as clock, formatDuration as duration } from '../../src/domain/time-format.js';
import type { Tone } from '../theme/theme.js';
import { progressText } from '../../src/domain/job-progress.js';
import { Line, Rows } from '../widgets/Line.js';
import { Panel } from '../widgets/Panel.js';

interface Col { title: string; width: number; prio: number; cell(j: JobRecord, now: number): Seg }

const STATE_TONE: Record<JobRecord['state'], Tone> = { running: 'accent', succeeded: 'ok', failed: 'bad', cancelled: 'warn', lost: 'warn' };

const NOTICE_LINES = 3;
const NOTICE_TONE: Record<'info' | 'warn' | 'error', Tone> = { info: 'dim', warn: 'warn', error: 'bad' };

const COLS: Col[] = [
  { title: 'ID', width: 0, prio: 4, cell: (j) => ({ text: j.id, tone: 'title' }) },
  { title: 'KIND', width: 9, prio: 0, cell: (j) => ({ text: j.kind, tone: j.mutating ? 'warn' : undefined }) },
  { title: 'STATE', width: 10, prio: 0, cell: (j) => ({ text: j.state, tone: STATE_TONE[j.state] }) },
  { title: 'WHO', width: 18, prio: 3, cell: (j) => ({ text: j.from ? `${j.user}@${j.from.split(' ')[0]}` : j.user }) },
  { title: 'STARTED', width: 10, prio: 0, cell: (j) => ({ text: clock(j.startedAt) }) },
  { title: 'DURATION', width: 10, prio: 1, cell: (j, now) => ({ text: duration((j.endedAt ?? now) - j.startedAt) }) },
  { title: 'EXIT', width: 6, prio: 1, cell: (j) => ({ text: j.exitCode === undefined || j.exitCode === null ? '—' : String(j.exitCode), tone: j.exitCode ? 'bad' : undefined }) },
];

export function JobsScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const all = useCluster((s) => s.jobs);
  const others = useCluster((s) => s.otherJobs);
  const stack = useUi((s) => s.stack);
  // the last notices (a job's end, an inventory that could not be rendered) under the table
  const notices = useCluster((s) => s.notices).slice(-NOTICE_LINES);
  const u = useUi(useShallow((s) => ({ filter: s.filter, filterInverted: s.filterInverted, selected: s.selected })));
  const jobs = visibleJobs({ jobs: all, otherJobs: others }, { ...u, stack });
  const foreign = new Set(others.map((j) => j.id));
  const inner = width - 2;
  const noteH = Math.min(notices.length, Math.max(0, height - 6));
  const body = Math.max(1, height - 3 - noteH);
  useViewport({ rows: body });
  // the full id (:logs and :review take it); on a narrow terminal the start time tells jobs apart
  const idW = Math.max(4, ...all.map((j) => j.id.length), ...jobs.map((j) => j.id.length)) + 1;
  let cols = COLS.map((c) => (c.title === 'ID' ? { ...c, width: idW } : c));
  while (cols.reduce((a, c) => a + c.width, 2) + 24 > inner && cols.some((c) => c.prio > 0)) {
    const drop = cols.filter((c) => c.prio > 0).sort((a, b) => b.prio - a.prio)[0];
    cols = cols.filter((c) => c !== drop);
  }
  const top = listTop(u.selected, body);
  const now = useNow((t) => jobs.slice(top, top + body).map((j) => cols.map((c) => c.cell(j, t).text).join(' ')).join('\n'));
  const cell = (text: string, w: number) => `${fit(text, w - 1)} `;
  const head: Seg[] = [{ text: '  ' }, ...cols.map((c) => ({ text: cell(c.title, c.width), tone: 'dim' as const })), { text: 'SUMMARY', tone: 'dim' }];
  const rows: Seg[][] = jobs.slice(top, top + body).map((j, i) => [
    { text: top + i === u.selected ? '▸ ' : '  ', tone: 'accent' },
    ...cols.map((c) => {
      const v = c.cell(j, now);
      return { ...v, text: cell(v.text, c.width) };
    }),
    ...(foreign.has(j.id) ? [{ text: `[other cluster${j.cluster?.name ? ` ${j.cluster.name}` : ''}, read-only] `, tone: 'dim' as const }] : []),
    { text: j.summary ?? (j.state === 'running' ? progressText(j.progress) : undefined) ?? j.title, tone: j.state === 'failed' ? 'bad' : undefined },
  ]);
  if (jobs.length === 0) rows.push([{ text: all.length ? '  no job matches the filter' : '  no jobs yet', tone: 'dim' }]);
  const title: Seg[] = [{ text: `Jobs ${jobs.length}${jobs.length > all.length ? ` (all clusters: ${jobs.length - all.length} of others, read-only)` : ''}`, tone: 'title' }, { text: u.filter ? ` ── filter: ${u.filterInverted ? '!' : ''}${u.filter}` : '', tone: 'accent' }];
  return (
    <Panel title={title} width={width} height={height} focused>
      <Line segs={head} width={inner} />
      <Rows rows={rows} height={body} width={inner} />
      {notices.slice(notices.length - noteH).map((n) => (
        <Line key={n.id} width={inner} segs={[{ text: `  ${clock(n.at)} `, tone: 'dim' }, { text: n.text, tone: NOTICE_TONE[n.level] }]} />
      ))}
    </Panel>
  );
}
