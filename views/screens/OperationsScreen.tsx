// The operations (`:ops`): every add and remove with its state, the step it is at, who started
// it, when and for how long; enter shows one (OperationScreen): its steps with their state,
// timing, attempts and jobs, the current step's progress lines, and its job's log in a pane.
import React from 'react';
import { Box } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import type { OperationBrief, OperationStepBrief } from '../../src/store/cluster-store.js';
import { currentScreen } from '../../src/store/ui-store.js';
import { currentStep, opJobId, opLine, visibleOps } from '../../src/actions/op-lists.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { listTop } from '../../src/store/viewport.js';
import { formatClock as clock, formatDuration as duration } from '../../src/domain/time-format.js';
import { useCluster, useNow, useUi, useViewport } from '../app/context.js';
import { fit, type Seg } from '../format/text.js';
import type { Tone } from '../theme/theme.js';
import { Line, Rows } from '../widgets/Line.js';
import { LogPane } from '../widgets/LogPane.js';
import { Panel } from '../widgets/Panel.js';

export const OP_TONE: Record<OperationBrief['state'], Tone> = { pending: 'dim', running: 'accent', done: 'ok', failed: 'bad', cancelled: 'warn', interrupted: 'warn', abandoned: 'dim' };
const STEP_TONE: Record<OperationStepBrief['state'], Tone> = { pending: 'dim', running: 'accent', done: 'ok', failed: 'bad', skipped: 'dim', cancelled: 'warn' };
const STEP_MARK: Record<OperationStepBrief['state'], string> = { pending: '·', running: '▶', done: '✓', failed: '✗', skipped: '–', cancelled: '■' };

const took = (from: number | undefined, to: number | undefined, now: number) => (from === undefined ? '' : duration((to ?? now) - from));

export function OperationsScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const all = useCluster((s) => s.operations);
  const u = useUi(useShallow((s) => ({ filter: s.filter, filterInverted: s.filterInverted, selected: s.selected })));
  const list = visibleOps({ operations: all }, u);
  const inner = width - 2;
  const body = Math.max(1, height - 3);
  useViewport({ rows: body });
  const top = listTop(u.selected, body);
  const now = useNow((t) => list.slice(top, top + body).map((o) => took(o.startedAt, o.endedAt, t)).join(' '));
  const idW = Math.max(4, ...all.map((o) => o.id.length)) + 1;
  const cell = (t: string, w: number) => `${fit(t, w - 1)} `;
  const head: Seg[] = [{ text: '  ' }, { text: cell('ID', idW), tone: 'dim' }, { text: cell('STATE', 12), tone: 'dim' }, { text: cell('WHO', 14), tone: 'dim' }, { text: cell('STARTED', 9), tone: 'dim' }, { text: cell('TIME', 8), tone: 'dim' }, { text: 'STEP', tone: 'dim' }];
  const rows: Seg[][] = list.slice(top, top + body).map((o, i) => {
    const step = currentStep(o);
    const n = step ? o.steps.indexOf(step) + 1 : 0;
    const where = o.state === 'done' ? o.message ?? 'done' : step ? `${n}/${o.steps.length} ${step.title}${o.message && o.state !== 'running' ? `: ${o.message.split('\n')[0]}` : ''}` : o.title;
    return [
      { text: top + i === u.selected ? '▸ ' : '  ', tone: 'accent' },
      { text: cell(o.id, idW), tone: 'title' },
      { text: cell(o.state, 12), tone: OP_TONE[o.state] },
      { text: cell(o.from ? `${o.user}@${o.from}` : o.user, 14) },
      { text: cell(o.startedAt ? clock(o.startedAt) : '—', 9) },
      { text: cell(took(o.startedAt, o.endedAt, now), 8) },
      { text: `${o.title} · ${where}`, tone: o.state === 'failed' ? 'bad' : undefined },
    ];
  });
  if (list.length === 0) rows.push([{ text: all.length ? '  no operation matches the filter' : '  no operations yet: + on the hosts screen adds a hypervisor, - removes one', tone: 'dim' }]);
  const title: Seg[] = [{ text: `Operations ${list.length}`, tone: 'title' }, { text: u.filter ? ` ── filter: ${u.filterInverted ? '!' : ''}${u.filter}` : '', tone: 'accent' }];
  return (
    <Panel title={title} width={width} height={height} focused>
      <Line segs={head} width={inner} />
      <Rows rows={rows} height={body} width={inner} />
    </Panel>
  );
}

export function OperationScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const id = useUi((s) => currentScreen(s).arg);
  const op = useCluster((s) => s.operations.find((o) => o.id === id));
  const now = useNow((t) => (op ? [op, ...op.steps].map((x) => took(x.startedAt, x.endedAt, t)).join(' ') : ''));
  if (!op) {
    return (
      <Panel title={[{ text: `operation ${id ?? ''}`, tone: 'title' }]} width={width} height={height}>
        <Line segs={[{ text: 'no such operation (yet): :ops lists them', tone: 'dim' }]} width={width - 2} />
      </Panel>
    );
  }
  const inner = width - 2;
  const cur = currentStep(op);
  const progress = (cur?.log ?? []).slice(-4);
  const details = op.details.slice(0, 6);
  const topH = Math.min(height - 5, op.steps.length + details.length + progress.length + 3 + (op.message ? 1 : 0));
  const logH = height - topH;
  const cell = (t: string, w: number) => `${fit(t, w - 1)} `;
  const lines: Seg[][] = op.steps.map((s) => [
    { text: ` ${STEP_MARK[s.state]} `, tone: STEP_TONE[s.state] },
    { text: cell(s.state, 10), tone: STEP_TONE[s.state] },
    { text: cell(took(s.startedAt, s.endedAt, now), 8), tone: 'dim' },
    { text: cell(s.title, 52), tone: s.id === cur?.id ? 'title' : undefined },
    { text: s.jobIds.length ? `job ${s.jobIds[s.jobIds.length - 1]}${s.attempts > 1 ? ` · try ${s.attempts}` : ''} ` : s.attempts > 1 ? `try ${s.attempts} ` : '', tone: 'dim' },
    { text: s.message ? s.message.split('\n')[0] : '', tone: s.state === 'failed' ? 'bad' : 'dim' },
  ]);
  if (op.message && op.state !== 'running') lines.push([{ text: ` ${op.state}: `, tone: OP_TONE[op.state] }, { text: op.message.replace(/\n/g, ' · '), tone: op.state === 'failed' ? 'bad' : undefined }]);
  for (const l of progress) lines.push([{ text: `   ${l}`, tone: 'accent' }]);
  for (const d of details) lines.push([{ text: `   ${d}`, tone: 'dim' }]);
  const jobId = opJobId(op);
  const who = op.from ? `${op.user}@${op.from}` : op.user;
  const title: Seg[] = [{ text: `${op.title} · `, tone: 'title' }, { text: op.state, tone: OP_TONE[op.state] }, { text: ` · ${op.id} · ${who} · ${took(op.startedAt, op.endedAt, now)}`, tone: 'dim' }];
  const hint = op.state === 'running' ? 'x cancels' : ['failed', 'cancelled', 'interrupted'].includes(op.state) ? `:resume ${op.id}  ·  :abandon  ·  :rollback (an add before OneDeploy)` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Panel title={title} width={width} height={topH} focused={false}>
        <Rows rows={[...lines.slice(0, topH - 3), [{ text: ` ${opLine(op)}${hint ? `  ·  ${hint}` : ''}`, tone: 'dim' }]]} height={topH - 2} width={inner} />
      </Panel>
      {logH > 2 && <LogPane logId={jobId ? jobLogId(jobId) : undefined} title={[{ text: jobId ? `job ${jobId} · ${cur?.title ?? ''}` : 'no job for this step', tone: 'title' }]} width={width} height={logH} focused empty={jobId ? 'no output yet' : 'this step runs no job: its progress is above'} />}
    </Box>
  );
}
