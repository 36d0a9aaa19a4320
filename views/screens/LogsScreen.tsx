// Job logs in tabs: one tab per job (newest first), `[` `]` or tab to switch.
import React from 'react';
import { Box } from 'ink';
import { jobLogId, paneJobId } from '../../src/actions/ui-lists.js';
import { useCluster, useNow, useUi } from '../app/context.js';
import { usePublishView } from '../app/usePublishView.js';
import { duration, type Seg } from '../format/text.js';
import { Line } from '../widgets/Line.js';
import { LogPane } from '../widgets/LogPane.js';

export function LogsScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const now = useNow();
  const jobs = useCluster((s) => s.jobs);
  const focusedJob = useUi((s) => s.focusedJob);
  const id = paneJobId({ jobs }, { focusedJob });
  const job = jobs.find((j) => j.id === id);
  const paneH = height - 1;
  usePublishView(0, Math.max(1, paneH - 3));
  const tabs: Seg[] = [{ text: ' ' }];
  for (const j of jobs.slice(0, 20)) {
    const on = j.id === id;
    tabs.push({ text: ` ${j.id} ${j.kind} `, tone: on ? 'select' : j.state === 'failed' ? 'bad' : j.state === 'running' ? 'accent' : 'dim' }, { text: ' ' });
  }
  if (jobs.length === 0) tabs.push({ text: 'no jobs yet', tone: 'dim' });
  const title: Seg[] = job
    ? [{ text: `job ${job.id} · ${job.kind} · ${job.title} · ${duration((job.endedAt ?? now) - job.startedAt)} · ${job.state}`, tone: 'title' }]
    : [{ text: 'logs', tone: 'title' }];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line segs={tabs} width={width} />
      <LogPane logId={id ? jobLogId(id) : undefined} title={title} width={width} height={paneH} focused empty={job ? 'no output yet' : 'no job has run yet'} />
    </Box>
  );
}
