// Job logs in tabs: one tab per job (newest first), `[` `]` or tab to switch.
import React from 'react';
import { Box } from 'ink';
import { paneJobId } from '../../src/actions/ui-lists.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { useCluster, useNow, useUi } from '../app/context.js';
import type { JobRecord } from '../../src/domain/job.js';
import { width as sw, type Seg } from '../format/text.js';
import { formatClock as clock, formatDuration as duration } from '../../src/domain/time-format.js';
import { jobTitleSegs } from '../format/job-progress.js';
import { Line } from '../widgets/Line.js';
import { LogPane } from '../widgets/LogPane.js';

const tabText = (j: JobRecord): string => ` ${j.kind} ${clock(j.startedAt).slice(0, 5)} `;

/** one tab per job (newest first), shifted so the shown job's tab is always in view */
export function tabRow(jobs: JobRecord[], id: string | undefined, width: number): Seg[] {
  if (jobs.length === 0) return [{ text: ' no jobs yet', tone: 'dim' }];
  const at = Math.max(0, jobs.findIndex((j) => j.id === id));
  let first = 0;
  const span = (a: number, b: number) => jobs.slice(a, b + 1).reduce((n, j) => n + sw(tabText(j)) + 1, 1);
  while (first < at && span(first, at) + 2 > width) first++;
  const tabs: Seg[] = [{ text: first > 0 ? '‹' : ' ', tone: 'dim' }];
  for (const j of jobs.slice(first)) {
    const on = j.id === id;
    tabs.push({ text: tabText(j), tone: on ? 'select' : j.state === 'failed' ? 'bad' : j.state === 'running' ? 'accent' : 'dim' }, { text: ' ' });
  }
  return tabs;
}

export function LogsScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const jobs = useCluster((s) => s.jobs);
  const focusedJob = useUi((s) => s.focusedJob);
  const id = paneJobId({ jobs }, { focusedJob });
  const job = jobs.find((j) => j.id === id);
  const now = useNow((t) => (job ? duration((job.endedAt ?? t) - job.startedAt) : ''));
  const paneH = height - 1;
  const tabs = tabRow(jobs, id, width);
  const title: Seg[] = job
    ? jobTitleSegs(job, duration((job.endedAt ?? now) - job.startedAt))
    : [{ text: 'logs', tone: 'title' }];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line segs={tabs} width={width} />
      <LogPane logId={id ? jobLogId(id) : undefined} title={title} width={width} height={paneH} focused empty={job ? 'no output yet' : 'no job has run yet'} />
    </Box>
  );
}
