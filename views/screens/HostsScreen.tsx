// The main screen: the inventory table, then the selected host's summary and the focused job's
// log side by side on wide terminals, stacked (log first) on small ones.
import React from 'react';
import { Box } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { paneJobId, visibleHosts } from '../../src/actions/ui-lists.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { useAgeNow, useCluster, useNow, useTui, useUi } from '../app/context.js';
import type { HostRow } from '../../src/domain/host.js';
import { firstDeploySteps, type FirstDeployStep } from '../../src/domain/first-deploy.js';
import { keyLabel } from '../format/text.js';
import { summaryLines } from '../format/host-detail.js';
import { jobTitleSegs } from '../format/job-progress.js';
import { segsKey, type Seg } from '../format/text.js';
import { formatDuration as duration } from '../../src/domain/time-format.js';
import { LogPane } from '../widgets/LogPane.js';
import { Rows } from '../widgets/Line.js';
import { Panel } from '../widgets/Panel.js';
import { HostTable } from './HostTable.js';

const BOTTOM_MIN = 7;

export function HostsScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const c = useCluster(useShallow((s) => ({ hosts: s.hosts, drift: s.drift, jobs: s.jobs, refreshSeconds: s.info.refreshSeconds })));
  const u = useUi(useShallow((s) => ({ filter: s.filter, filterInverted: s.filterInverted, sort: s.sort, sortDesc: s.sortDesc, selected: s.selected, focus: s.focus, focusedJob: s.focusedJob, firstDeploy: s.firstDeploy })));
  const hosts = visibleHosts(c, u);
  const jobId = paneJobId(c, u);
  const job = c.jobs.find((j) => j.id === jobId);
  const wide = width >= 120;

  const wantTable = Math.max(hosts.length, 1) + 3 + Math.min(c.drift.length, 3);
  let tableH = height;
  if (height - wantTable >= BOTTOM_MIN) tableH = wantTable;
  else if (height >= 5 + BOTTOM_MIN) tableH = Math.max(5, height - BOTTOM_MIN);
  const bottomH = height - tableH;
  const selectedHost = hosts[Math.min(u.selected, hosts.length - 1)];
  const logFocused = u.focus === 'log' && !!job;

  const summaryW = job ? (wide ? Math.floor(width * 0.42) : 0) : width;
  const logW = width - summaryW;

  const steps = u.firstDeploy ? firstDeploySteps(c.jobs) : undefined;
  const showSteps = !!steps && steps.some((s) => s.state !== 'done');
  // a running job's duration moves with the clock: this screen redraws each second only then
  const tookAt = (now: number) => (job ? duration((job.endedAt ?? now) - job.startedAt) : '');
  const now = useNow(tookAt);
  const logTitle: Seg[] = job ? jobTitleSegs(job, tookAt(now)) : [];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <HostTable hosts={hosts} total={c.hosts.length} drift={c.drift} width={width} height={tableH} focused={!logFocused} />
      {bottomH > 0 && (
        <Box flexDirection="row" width={width} height={bottomH}>
          {summaryW > 0 && (
            <SummaryPanel host={selectedHost} steps={showSteps ? steps : undefined} refreshSeconds={c.refreshSeconds} width={summaryW} height={bottomH} />
          )}
          {job && <LogPane logId={jobLogId(job.id)} title={logTitle} width={logW} height={bottomH} focused={logFocused} empty="no output yet" />}
        </Box>
      )}
    </Box>
  );
}

interface SummaryProps {
  host: HostRow | undefined;
  steps: FirstDeployStep[] | undefined;
  refreshSeconds: number;
  width: number;
  height: number;
}

/** the selected host's summary (or the first-deployment steps); its ages redraw it, not the screen */
function SummaryPanel({ host, steps, refreshSeconds, width, height }: SummaryProps): React.JSX.Element {
  const { registry } = useTui();
  const linesAt = (now: number): Seg[][] =>
    steps ? firstDeployLines(steps, (id) => registry.keyOf(id)) : host ? summaryLines(host, { now, refreshSeconds }) : [[{ text: 'no host selected', tone: 'dim' }]];
  const now = useAgeNow((t) => segsKey(linesAt(t)));
  return (
    <Panel title={[{ text: steps ? 'first deployment' : host?.key ?? 'host', tone: 'title' }]} width={width} height={height}>
      <Rows rows={linesAt(now)} height={height - 2} width={width - 2} />
    </Panel>
  );
}

const STEP_WORD: Record<FirstDeployStep['state'], [string, Seg['tone']]> = { todo: ['to do', 'dim'], running: ['running', 'accent'], done: ['done', 'ok'], failed: ['failed', 'bad'] };

/** the first-deployment steps, each with its state and the key that runs it */
export function firstDeployLines(steps: FirstDeployStep[], keyOf: (action: string) => string): Seg[][] {
  const next = steps.find((s) => s.state !== 'done');
  return steps.map((s, i) => {
    const [word, tone] = STEP_WORD[s.state];
    return [
      { text: `${i + 1}. ${s.title}`.padEnd(38), tone: s === next ? 'title' : undefined },
      { text: word.padEnd(9), tone },
      { text: `${keyLabel(keyOf(s.action))}${s.action === 'plan' ? `, then ${keyLabel(keyOf('apply'))}` : ''}`, tone: 'key' },
    ];
  });
}
