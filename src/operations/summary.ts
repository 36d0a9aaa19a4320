// A journal folded into what a store or a screen shows: the operation's state, its current step,
// and each step's state, timing, jobs and progress lines. Pure: liveness of the runner is asked.
import type { JournalRecord, OperationSummary, StepSummary } from './types.js';

const MAX_LOG = 200;

export function summarize(records: JournalRecord[], runnerAlive: (pid: number, start?: number) => boolean): OperationSummary | undefined {
  const created = records.find((r) => r.t === 'created');
  if (!created || created.t !== 'created') return undefined;
  const spec = created.spec;
  const steps: StepSummary[] = spec.steps.map((s) => ({ id: s.id, title: s.title, state: 'pending', attempts: 0, jobIds: [], log: [] }));
  const byId = new Map(steps.map((s) => [s.id, s]));
  const sum: OperationSummary = { id: spec.id, spec, state: 'pending', createdAt: created.at, cancelRequested: false, steps };
  let ended = false;
  for (const r of records) {
    switch (r.t) {
      case 'run':
        sum.startedAt ??= r.at;
        sum.runnerPid = r.pid;
        sum.runnerPidStart = r.pidStart;
        sum.cancelRequested = false;
        ended = false;
        sum.state = 'running';
        delete sum.endedAt;
        delete sum.message;
        break;
      case 'step': {
        const s = byId.get(r.step);
        if (!s) break;
        s.state = r.state;
        if (r.state === 'running') {
          s.attempts++;
          s.startedAt = r.at;
          delete s.endedAt;
          delete s.message;
          sum.step = s.id;
        } else {
          s.endedAt = r.at;
          if (r.message !== undefined) s.message = r.message;
          if (r.data !== undefined) s.data = r.data;
        }
        break;
      }
      case 'job':
        byId.get(r.step)?.jobIds.push(r.jobId);
        break;
      case 'log': {
        const s = byId.get(r.step);
        if (!s) break;
        s.log.push(r.line);
        if (s.log.length > MAX_LOG) s.log.splice(0, s.log.length - MAX_LOG);
        break;
      }
      case 'cancel':
        sum.cancelRequested = true;
        break;
      case 'end':
        ended = true;
        sum.state = r.state;
        sum.endedAt = r.at;
        if (r.step) sum.step = r.step;
        if (r.message !== undefined) sum.message = r.message;
        break;
    }
  }
  if (!ended && sum.state === 'running' && !(sum.runnerPid && runnerAlive(sum.runnerPid, sum.runnerPidStart))) {
    sum.state = 'interrupted';
  }
  return sum;
}

/** Whether `resume` may run it again: failed, cancelled or interrupted (or never started). */
export const resumable = (s: OperationSummary) => ['failed', 'cancelled', 'interrupted', 'pending'].includes(s.state);

/** A short line for lists: "add kvm-4 · failed at apply: …" */
export function summaryLine(s: OperationSummary): string {
  const step = s.steps.find((x) => x.id === s.step);
  const where = step ? ` at ${step.title}` : '';
  const total = s.endedAt && s.startedAt ? ` in ${Math.round((s.endedAt - s.startedAt) / 1000)} s` : '';
  if (s.state === 'done') return `${s.spec.title} · done${total}`;
  if (s.state === 'running') return `${s.spec.title} · running${where}`;
  return `${s.spec.title} · ${s.state}${where}${s.message ? `: ${s.message}` : ''}`;
}
