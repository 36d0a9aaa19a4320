// Turns a job's output stream into readable log lines, live progress and a one-line result,
// for each stream format. Pure apart from its own state: the runner feeds it line by line.
import { ansibleOneLine, foldAnsibleEvent, newAnsibleProgress, parseAnsibleLine, type AnsibleProgress } from '../adapters/ansible/events.js';
import { foldDefaultLine, newDefaultParserState } from '../adapters/ansible/default-output.js';
import { emptyPlan, foldPlanEvent, planOneLine, type PlanSummary } from '../adapters/tofu/plan-summary.js';
import { parseUiLine, renderUiEvent, type UiEvent } from '../adapters/tofu/ui-json.js';
import type { JobKind, JobProgress, TofuJobProgress } from '../domain/job.js';
import type { StreamFormat } from './job-store.js';

export interface StreamResult {
  /** readable lines for output.log */
  lines: string[];
  /** the raw event line, for events.jsonl (structured lines only) */
  event?: string;
}

export interface StreamProcessor {
  line(text: string): StreamResult;
  /**
   * Plain output only: whole lines (each ending with \n) that go to output.log as they are; the
   * processor just notes what its summary needs. Absent for structured output, which goes line by line.
   */
  block?(text: string): void;
  progress(): JobProgress | undefined;
  /** one line for the record, given the exit code */
  summary(exitCode: number | null, cancelled: boolean): string;
  plan(): PlanSummary | undefined;
}

export function createProcessor(format: StreamFormat, kind: JobKind, tool = 'tofu'): StreamProcessor {
  if (format === 'tofu-json') return tofuProcessor(kind, tool);
  if (format === 'ansible-jsonl') return ansibleProcessor();
  let last = '';
  return {
    line(text) {
      if (text.trim()) last = text.trim();
      return { lines: [text] };
    },
    block(text) {
      // the last line that is not blank, looked for from the end: one line for most blocks
      let end = text.length;
      while (end > 0) {
        const start = end >= 2 ? text.lastIndexOf('\n', end - 2) + 1 : 0;
        const l = text.slice(start, end).trim();
        if (l) {
          last = l;
          return;
        }
        end = start;
      }
    },
    progress: () => undefined,
    summary: (code, cancelled) => (cancelled ? 'cancelled' : code === 0 ? 'done' : `exit ${code}${last ? `: ${last}` : ''}`),
    plan: () => undefined,
  };
}

function ansibleProcessor(): StreamProcessor {
  const p: AnsibleProgress = newAnsibleProgress();
  const st = newDefaultParserState();
  return {
    line(text) {
      const ev = parseAnsibleLine(text);
      if (!ev) {
        // warnings, or the default callback if jsonl was overridden
        foldDefaultLine(p, st, text);
        return { lines: [text] };
      }
      return { lines: foldAnsibleEvent(p, ev), event: text };
    },
    progress: () => ({ kind: 'ansible', ...structuredClone(p) }),
    summary: (code, cancelled) => (cancelled ? `cancelled during TASK [${p.task ?? '?'}]` : ansibleOneLine(p, code)),
    plan: () => undefined,
  };
}

function tofuProcessor(kind: JobKind, tool: string): StreamProcessor {
  const plan = emptyPlan();
  const res = new Map<string, TofuJobProgress['resources'][number]>();
  let lastMessage = '';
  const fold = (ev: UiEvent) => {
    foldPlanEvent(plan, ev, tool);
    const addr = ev.resource?.addr;
    if (!addr) return;
    const r = res.get(addr) ?? { addr, action: ev.action ?? 'update', state: 'pending' as const };
    switch (ev.type) {
      case 'planned_change':
        if (ev.action) r.action = ev.action;
        break;
      case 'apply_start':
        r.state = 'running';
        break;
      case 'apply_progress':
        r.state = 'running';
        r.elapsed = ev.elapsed;
        break;
      case 'apply_complete':
        r.state = 'done';
        r.elapsed = ev.elapsed;
        break;
      case 'apply_errored':
        r.state = 'errored';
        r.elapsed = ev.elapsed;
        break;
      default:
        if (!res.has(addr)) return; // refresh and provisioner chatter of untouched resources
    }
    r.message = ev.message;
    res.set(addr, r);
  };
  return {
    line(text) {
      const ev = parseUiLine(text);
      if (!ev) return { lines: [text] };
      fold(ev);
      if (ev.type === 'change_summary') lastMessage = ev.message;
      return { lines: renderUiEvent(ev), event: text };
    },
    progress() {
      if (kind !== 'apply') return undefined;
      const resources = [...res.values()].filter((r) => r.action !== 'noop' && r.action !== 'read');
      return { kind: 'tofu', resources, done: resources.filter((r) => r.state === 'done').length, total: resources.length };
    },
    summary(code, cancelled) {
      if (cancelled) return 'cancelled';
      if (plan.stateLock) return plan.stateLock;
      const err = plan.diagnostics.find((d) => d.severity === 'error');
      if (kind === 'plan') return code === 0 ? planOneLine(plan) : err ? planOneLine(plan) : `exit ${code}`;
      if (err) {
        const where = err.address ? `${err.address}: ` : '';
        return `failed: ${where}${err.summary}`;
      }
      return lastMessage || (code === 0 ? 'done' : `exit ${code}`);
    },
    plan: () => (kind === 'plan' ? plan : undefined),
  };
}
