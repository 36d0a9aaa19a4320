// The plan review: what a plan would add, change and destroy, destroys in red, then the
// diagnostics. Applying it goes through the apply action, which asks for confirmation.
import React from 'react';
import { currentScreen } from '../../src/store/ui-store.js';
import type { PlanSummary } from '../../src/domain/job.js';
import { useAgeNow, useCluster, useTui, useUi } from '../app/context.js';
import { keyLabel, type Seg } from '../format/text.js';
import { formatAge as age } from '../../src/domain/time-format.js';
import type { Tone } from '../theme/theme.js';
import { Document } from '../widgets/Document.js';

const ACTION: Record<string, [string, Tone, number]> = {
  delete: ['  - destroy ', 'bad', 0],
  replace: ['-/+ replace ', 'bad', 1],
  update: ['  ~ change  ', 'warn', 2],
  create: ['  + add     ', 'ok', 3],
  read: [' <= read    ', 'dim', 4],
};

export function planLines(plan: PlanSummary): Seg[][] {
  const lines: Seg[][] = [
    [
      { text: 'Plan: ' },
      { text: `${plan.add} to add`, tone: plan.add ? 'ok' : 'dim' },
      { text: ', ' },
      { text: `${plan.change} to change`, tone: plan.change ? 'warn' : 'dim' },
      { text: ', ' },
      { text: `${plan.destroy} to destroy`, tone: plan.destroy ? 'bad' : 'dim' },
    ],
    [],
  ];
  const res = plan.resources.filter((r) => r.action !== 'no-op').slice().sort((a, b) => (ACTION[a.action]?.[2] ?? 9) - (ACTION[b.action]?.[2] ?? 9));
  for (const r of res) {
    const [label, tone] = ACTION[r.action] ?? [`  ? ${r.action.padEnd(8)}`, 'plain'];
    lines.push([{ text: label, tone }, { text: r.addr, tone: tone === 'bad' ? 'bad' : undefined }]);
  }
  if (res.length === 0) lines.push([{ text: 'No changes: the infrastructure matches the configuration.', tone: 'ok' }]);
  if (plan.diagnostics.length) {
    lines.push([], [{ text: 'Diagnostics', tone: 'title' }]);
    for (const d of plan.diagnostics) lines.push([{ text: `  ${d}`, tone: 'warn' }]);
  }
  return lines;
}

export function PlanScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const { registry, executor, session, ui } = useTui();
  const jobId = useUi((s) => currentScreen(s).arg);
  const jobs = useCluster((s) => s.jobs); // the apply hint depends on the newer jobs too
  const job = jobs.find((j) => j.id === jobId) ?? jobs.find((j) => j.plan);
  const now = useAgeNow((t) => (job ? age(t - (job.endedAt ?? job.startedAt)) : ''));
  let lines: Seg[][];
  if (!job) lines = [[{ text: 'no plan yet: run a plan first', tone: 'dim' }]];
  else if (!job.plan) lines = [[{ text: `job ${job.id} (${job.state}) has no plan summary yet`, tone: 'dim' }], [{ text: job.summary ?? '' }]];
  else lines = planLines(job.plan);
  const apply = registry.get('apply');
  // the apply hint follows its disabled reason, which reads both stores (the lock, the tools, the key's access)
  const applyWhy = () => (apply ? executor.disabledReason(apply, session, ui) ?? '' : '');
  useCluster(applyWhy);
  useUi(applyWhy);
  if (job?.plan && apply?.keys[0]) {
    const why = applyWhy();
    const key = keyLabel(apply.keys[0]);
    if (why && session.readonly) lines.push([], [{ text: `${key}: applying is not available in a read-only session`, tone: 'dim' }]);
    else if (why) lines.push([], [{ text: `${key}: ${why}`, tone: 'dim' }]);
    else lines.push([], [{ text: 'press ', tone: 'dim' }, { text: key, tone: 'key' }, { text: ' to apply this plan (it asks first)', tone: 'dim' }]);
  }
  const title: Seg[] = [{ text: `Plan review${job ? ` · job ${job.id}` : ''}`, tone: 'title' }];
  if (job) title.push({ text: ` · ${job.user} · ${age(now - (job.endedAt ?? job.startedAt))} ago`, tone: 'dim' });
  return <Document title={title} lines={lines} width={width} height={height} />;
}
