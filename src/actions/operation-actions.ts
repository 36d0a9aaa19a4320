// The operations from the keyboard: `+`/:add, `-`/:remove, :ops, :resume, :abandon, :rollback,
// and `x` on the operations screens. All go through the executor. An add or a remove first
// computes its preview in `prepare` (I/O: onedeck.yaml, OpenNebula over SSH; a refusal throws
// there, before anything changes) and keeps it in the session's UI store (`UiState.preview`);
// `confirm` reads it, pure, and asks it as the question (a removal: the host's name typed);
// `run` starts the operation from that very preview. Disabled reasons read the cluster store only
// (`operations`, published by the operations watcher, and `lockHolder`).
import type { OperationPreview, OperationService } from '../services.js';
import { currentScreen } from '../store/ui-store.js';
import { pushScreen, replaceScreen } from '../store/screen-stack.js';
import type { ActionContext, ActionDef, Confirmation } from './types.js';
import { currentStep, runningOperation, selectedOp } from './op-lists.js';
import { visibleHosts } from './ui-lists.js';
import { leftOutReason, type Feature } from '../domain/credential-access.js';

const lacking = (ctx: ActionContext, f: Feature) => leftOutReason(ctx.cluster.getState().access, f);

function ops(ctx: ActionContext): OperationService {
  const o = ctx.services.operations;
  if (!o) throw new Error('operations are not available in this build');
  return o;
}

/** why no new operation can start now: another runs, or a job holds the lock */
export function opBusy(ctx: ActionContext, o: { resume?: boolean } = {}): string | undefined {
  if (!ctx.services.operations) return 'operations are not available in this build';
  const c = ctx.cluster.getState();
  const run = runningOperation(c.operations);
  if (run) return `operation ${run.title} is running (${run.id}, ${run.user}): :ops shows it`;
  const h = c.lockHolder;
  // an operation that has ended releases the lock a moment later: its journal says it ended
  const ended = h?.kind === 'operation' && c.operations.some((o) => o.id === h.jobId && o.state !== 'running');
  if (ended) return undefined;
  // a job an interrupted operation started goes on without its runner: the resume takes it up
  if (o.resume && h && c.operations.some((x) => x.state !== 'running' && x.steps.some((st) => st.jobIds.includes(h.jobId)))) return undefined;
  if (h?.kind === 'operation') return `operation ${h.title} is running (${h.jobId}, ${h.user}): :ops shows it`;
  if (h) return `another job is running (job ${h.jobId} (${h.title}, ${h.user}))`;
  return undefined;
}

const sameArgs = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** the preview prepare stored for this action and these arguments, if any */
function storedPreview(ctx: ActionContext, action: string, args: string[]): { question: string; expect?: string; data: OperationPreview } | undefined {
  const p = ctx.ui.getState().preview;
  if (!p || p.action !== action || !sameArgs(p.args, args)) return undefined;
  return { question: p.question, ...(p.expect ? { expect: p.expect } : {}), data: p.data as OperationPreview };
}

function keepPreview(ctx: ActionContext, action: string, args: string[], data: OperationPreview, ask: Confirmation): void {
  ctx.ui.setState({ preview: { action, args, question: ask.question, ...(ask.expect ? { expect: ask.expect } : {}), data, at: Date.now() } });
}

/** the question of an add: every step */
export function addQuestion(p: OperationPreview): Confirmation {
  const steps = p.steps.map((s, i) => `  ${i + 1}. ${s.title}`);
  return { question: [`add ${p.hosts.join(', ')}: ${p.steps.length} steps`, ...steps, 'run it? [y/N]'].join('\n') };
}

/** the question of a removal: its VMs and where they go, every step, the name typed */
export function removeQuestion(p: OperationPreview, lead = 'remove'): Confirmation {
  const host = p.hosts[0];
  const steps = p.steps.map((s, i) => `  ${i + 1}. ${s.title}`);
  return { question: [`${lead} ${host}:`, ...p.lines, `${p.steps.length} steps:`, ...steps, `Type ${host} to confirm`].join('\n'), expect: host };
}

/** the question asked before any preview was made (never answered: the run computes one first) */
const NO_PREVIEW: Confirmation = { question: 'the preview is not computed yet' };

function showOp(ctx: ActionContext, id: string): void {
  ctx.ui.setState({ focusedOp: id, preview: undefined });
  if (currentScreen(ctx.ui.getState()).id === 'op') replaceScreen(ctx.ui, { id: 'op', arg: id });
  else pushScreen(ctx.ui, { id: 'op', arg: id });
}

function opArg(ctx: ActionContext, args: string[], what: string): string {
  const id = args[0] ?? selectedOp(ctx.cluster.getState(), ctx.ui.getState())?.id;
  if (!id) throw new Error(`name the operation: :${what} ID (:ops lists them)`);
  const all = ctx.cluster.getState().operations;
  // a unique prefix or suffix will do (ids are long)
  const hit = all.find((o) => o.id === id) ?? (all.filter((o) => o.id.startsWith(id) || o.id.endsWith(id)).length === 1 ? all.find((o) => o.id.startsWith(id) || o.id.endsWith(id)) : undefined);
  return hit?.id ?? id;
}

const flash = (ctx: ActionContext, text: string, level: 'info' | 'warn' | 'error' = 'info') => ctx.ui.setState({ flash: { level, text, at: Date.now() } });

export function operationActions(): ActionDef[] {
  return [
    {
      id: 'add',
      title: 'add hypervisors (:add [NAME…]; no name: the next free kvm-N)',
      short: 'add host',
      keys: ['+'],
      scope: ['hosts'],
      mutating: true,
      footer: true,
      disabledReason: (ctx) => lacking(ctx, 'add') ?? opBusy(ctx),
      prepare: async (ctx, args) => {
        const p = await ops(ctx).previewAdd(args);
        keepPreview(ctx, 'add', args, p, addQuestion(p));
      },
      confirm: (ctx, args) => storedPreview(ctx, 'add', args) ?? NO_PREVIEW,
      run: async (ctx, args) => {
        const p = storedPreview(ctx, 'add', args);
        if (!p) throw new Error('no preview to run: press + again');
        const id = await ops(ctx).start(ctx.session, p.data);
        showOp(ctx, id);
        flash(ctx, `operation ${id} started: add ${p.data.hosts.join(', ')}`);
      },
    },
    {
      id: 'remove',
      title: 'remove a hypervisor (:remove NAME; drains its VMs first)',
      short: 'remove host',
      keys: ['-'],
      scope: ['hosts'],
      mutating: true,
      disabledReason: (ctx) => lacking(ctx, 'remove') ?? opBusy(ctx),
      prepare: async (ctx, args) => {
        let name = args[0];
        if (!name) {
          const s = ctx.ui.getState();
          name = visibleHosts(ctx.cluster.getState(), s)[s.selected]?.key;
        }
        if (!name) throw new Error('no host selected: :remove NAME');
        const p = await ops(ctx).previewRemove(name);
        keepPreview(ctx, 'remove', args, p, removeQuestion(p));
      },
      confirm: (ctx, args) => storedPreview(ctx, 'remove', args) ?? NO_PREVIEW,
      run: async (ctx, args) => {
        const p = storedPreview(ctx, 'remove', args);
        if (!p) throw new Error('no preview to run: press - again');
        const id = await ops(ctx).start(ctx.session, p.data);
        showOp(ctx, id);
        flash(ctx, `operation ${id} started: remove ${p.data.hosts[0]}`);
      },
    },
    {
      id: 'ops',
      title: 'operations (adds and removes, their steps)',
      keys: [],
      aliases: ['operations'],
      scope: 'global',
      mutating: false,
      run: (ctx) => {
        if (currentScreen(ctx.ui.getState()).id !== 'ops') pushScreen(ctx.ui, { id: 'ops' });
      },
    },
    {
      id: 'op-open',
      title: 'the operation\'s steps and log',
      short: 'steps',
      keys: ['enter'],
      scope: ['ops'],
      mutating: false,
      footer: true,
      run: (ctx) => {
        const o = selectedOp(ctx.cluster.getState(), ctx.ui.getState());
        if (o) pushScreen(ctx.ui, { id: 'op', arg: o.id });
      },
    },
    {
      id: 'resume',
      title: 'resume an operation from the step it stopped at (:resume ID)',
      short: 'resume',
      keys: ['R'],
      scope: ['ops', 'op'],
      mutating: true,
      footer: true,
      disabledReason: (ctx) => {
        // the operation selected: an add or a removal goes on to apply, which the key may leave out
        const o = selectedOp(ctx.cluster.getState(), ctx.ui.getState());
        return (o ? lacking(ctx, o.kind) : undefined) ?? opBusy(ctx, { resume: true });
      },
      confirm: (ctx, args) => {
        const id = opArg(ctx, args, 'resume');
        const o = ctx.cluster.getState().operations.find((x) => x.id === id);
        const at = o ? currentStep(o) : undefined;
        return { question: `resume ${o?.title ?? id}${at ? ` from ${at.title}` : ''}? [y/N]` };
      },
      run: async (ctx, args) => {
        const id = opArg(ctx, args, 'resume');
        const kind = ctx.cluster.getState().operations.find((x) => x.id === id)?.kind;
        const why = kind ? lacking(ctx, kind) : undefined;
        if (why) throw new Error(why); // `:resume ID` of another operation than the one selected
        await ops(ctx).resume(ctx.session, id);
        showOp(ctx, id);
        flash(ctx, `operation ${id} resumed`);
      },
    },
    {
      id: 'abandon',
      title: 'give up on a stopped operation (:abandon ID)',
      keys: [],
      scope: ['ops', 'op'],
      mutating: true,
      confirm: (ctx, args) => ({ question: `abandon operation ${opArg(ctx, args, 'abandon')}? It can no longer be resumed; nothing is undone. [y/N]` }),
      run: (ctx, args) => {
        const id = opArg(ctx, args, 'abandon');
        ops(ctx).abandon(ctx.session, id);
        flash(ctx, `operation ${id} abandoned`);
      },
    },
    {
      id: 'rollback',
      title: 'undo an add that stopped before OneDeploy (:rollback ID)',
      keys: [],
      scope: ['ops', 'op'],
      mutating: true,
      // a rollback destroys the servers it added: the same rights as a removal
      disabledReason: (ctx) => lacking(ctx, 'remove') ?? opBusy(ctx),
      prepare: async (ctx, args) => {
        const id = opArg(ctx, args, 'rollback');
        const p = await ops(ctx).rollbackPreview(id);
        keepPreview(ctx, 'rollback', args, p, removeQuestion(p, 'roll back: remove'));
      },
      confirm: (ctx, args) => storedPreview(ctx, 'rollback', args) ?? NO_PREVIEW,
      run: async (ctx, args) => {
        const p = storedPreview(ctx, 'rollback', args);
        if (!p) throw new Error('no preview to run: :rollback again');
        const id = await ops(ctx).rollback(ctx.session, opArg(ctx, args, 'rollback'), p.data);
        showOp(ctx, id);
        flash(ctx, `rollback started: operation ${id}`);
      },
    },
    {
      id: 'op-cancel',
      title: 'cancel the running operation (its running step\'s job)',
      short: 'cancel',
      keys: ['x'],
      scope: ['ops', 'op'],
      mutating: true,
      footer: true,
      disabledReason: (ctx) => (runningOperation(ctx.cluster.getState().operations) ? undefined : 'no operation is running'),
      confirm: (ctx) => {
        const o = runningOperation(ctx.cluster.getState().operations);
        const at = o ? currentStep(o) : undefined;
        return { question: `cancel operation ${o?.title ?? ''}${at ? ` at ${at.title}` : ''}? Its running job is cancelled; :resume goes on from there. [y/N]` };
      },
      run: (ctx) => {
        const o = runningOperation(ctx.cluster.getState().operations);
        if (!o) throw new Error('no operation is running');
        ops(ctx).cancel(ctx.session, o.id);
        flash(ctx, `cancelling operation ${o.id}…`);
      },
    },
  ];
}
