// The actions that run jobs: plan, apply, deploy, hooks, validate, cancel. Each is a key and a
// `:` command; all go through the executor, which enforces read-only and the confirmations.
// (:jobs and :logs, which only navigate, are in ui-actions.ts.)
// Disabled reasons and confirmations read the cluster store only (the job watcher publishes the
// pending plan, the lock holder and tool readiness there): they run on every render and must not
// touch the disk, PATH or a process. Only run() calls the job service.
import { destroyNames } from '../adapters/tofu/plan-summary.js';
import type { JobRecord, PlanSummary } from '../domain/job.js';
import { currentScreen, SCREEN_IDS, type ScreenId } from '../store/ui-store.js';
import { replaceScreen } from '../store/screen-stack.js';
import { actionLabel } from './registry.js';
import { findJobId } from '../domain/job-progress.js';
import type { ActionContext, ActionDef } from './types.js';
import type { JobService } from '../services.js';
import { currentStep, runningOperation } from './op-lists.js';
import { leftOutReason, type Feature } from '../domain/credential-access.js';

/** the credentials leave this feature out (the sweep read it up front into cluster.access) */
const lacking = (ctx: ActionContext, f: Feature): string | undefined => leftOutReason(ctx.cluster.getState().access, f);

/** every screen but help: the job keys work wherever the README says "everywhere" (host detail, hook logs included) */
const SCOPE: ScreenId[] = SCREEN_IDS.filter((id) => id !== 'help');

function jobs(ctx: ActionContext): JobService {
  const j = ctx.services.jobs;
  if (!j) throw new Error('jobs are not available in this build');
  return j;
}

function describeJob(ctx: ActionContext, id: string): string {
  const j = ctx.cluster.getState().jobs.find((x) => x.id === id);
  return j ? `job ${id} (${j.title}${j.user ? `, ${j.user}` : ''})` : `job ${id}`;
}

/** a job named on the command line, by its id or the short form titles show */
function jobArg(ctx: ActionContext, ref: string | undefined): string | undefined {
  return ref === undefined ? undefined : findJobId(ctx.cluster.getState().jobs.map((j) => j.id), ref) ?? ref;
}

/** This cluster's running job that holds the lock, else any running one of its jobs, else a lost
 * one (its runner died) whose tool's process group still runs: cancel ends that group. Another
 * cluster's job (cluster.otherJobs) is never this session's to cancel. */
function runningJob(ctx: ActionContext): string | undefined {
  const c = ctx.cluster.getState();
  const held = c.lockHolder && c.jobs.find((j) => j.id === c.lockHolder?.jobId && (j.state === 'running' || j.toolAlive));
  return held?.id ?? c.jobs.find((j) => j.state === 'running')?.id ?? c.jobs.find((j) => j.state === 'lost' && j.toolAlive)?.id;
}

/** Common disabled reasons of a job-starting action. */
function busy(ctx: ActionContext, tool?: 'tofu' | 'ansible'): string | undefined {
  if (!ctx.services.jobs) return 'jobs are not available in this build';
  const c = ctx.cluster.getState();
  const h = c.lockHolder;
  if (h?.kind === 'operation') return `operation ${h.title} is running (${h.jobId}, ${h.user}): :ops shows it`;
  if (h) return `another job is running (job ${h.jobId} (${h.title}, ${h.user}))`;
  return tool ? c.toolProblems[tool] : undefined;
}

/** Focus the new job's log and say so. */
function started(ctx: ActionContext, id: string, what: string): void {
  ctx.services.jobs?.follow?.(id);
  ctx.ui.setState({ focusedJob: id, flash: { level: 'info', text: `${what} started: job ${id}`, at: Date.now() } });
}

const counts = (p: Pick<PlanSummary, 'add' | 'change' | 'destroy'>): string => `${p.add} to add, ${p.change} to change, ${p.destroy} to destroy`;
const hasChanges = (p: PlanSummary): boolean => p.add + p.change + p.destroy > 0;

/** What this session is told when a plan it started ends: what to press next. */
export function planOutcome(j: JobRecord): { level: 'info' | 'warn' | 'error'; text: string } {
  if (j.state === 'succeeded') {
    if (!j.plan) return { level: 'info', text: `plan ${j.id} finished${j.summary ? `: ${j.summary}` : ''}: o to review` };
    if (!hasChanges(j.plan)) return { level: 'info', text: `plan ${j.id}: no changes, nothing to apply (o to review)` };
    return { level: 'info', text: `plan ready (${counts(j.plan)}): o to review, a to apply` };
  }
  return { level: j.state === 'failed' ? 'error' : 'warn', text: `plan ${j.id} ${j.state}${j.summary ? `: ${j.summary}` : ''} (enter on :jobs shows its log)` };
}

/** Tell this session when the plan it started ends (the store keeps the job record up to date). */
function watchPlan(ctx: ActionContext, id: string): void {
  const done = (): boolean => {
    const j = ctx.cluster.getState().jobs.find((x) => x.id === id);
    if (!j || j.state === 'running') return false;
    ctx.ui.setState({ flash: { ...planOutcome(j), at: Date.now() } });
    return true;
  };
  if (done()) return;
  const stop = ctx.cluster.subscribe(() => {
    if (done()) stop();
  });
}

/** Why there is nothing to apply, from the newest plan or apply in the command log (newest first). */
export function noPlanReason(jobs: JobRecord[]): string {
  const last = jobs.find((j) => j.kind === 'plan' || j.kind === 'apply');
  if (!last) return 'no plan to apply: press p first';
  if (last.kind === 'apply') {
    const how = last.state === 'succeeded' ? 'was applied' : last.state === 'running' ? 'is being applied' : `went to apply job ${last.id}, which ${last.state}`;
    return `the last plan ${how}${last.state === 'running' ? '' : ': press p for a new plan'}`;
  }
  if (last.state === 'running') return `plan ${last.id} is still running`;
  if (last.state !== 'succeeded') return `the last plan (job ${last.id}) ${last.state}: press p to plan again`;
  if (last.plan && !hasChanges(last.plan)) return `the last plan (job ${last.id}) has no changes: nothing to apply`;
  return 'no plan to apply: press p first';
}

/** Host names given on the command line → a --limit that keeps the frontend in (workflow §4.4). */
export function deployLimit(ctx: ActionContext, args: string[]): string[] | undefined {
  const names = args.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean);
  if (!names.length) return undefined;
  const hosts = ctx.cluster.getState().hosts;
  const known = new Set(hosts.map((h) => h.key));
  const unknown = names.filter((n) => known.size > 0 && !known.has(n));
  if (unknown.length) throw new Error(`no host named ${unknown.map((n) => `"${n}"`).join(', ')}`);
  const fe = hosts.find((h) => h.role === 'frontend')?.key;
  return fe && !names.includes(fe) ? [fe, ...names] : names;
}

/** validation runs on the whole cloud; the network play needs only the named hosts; the others keep the frontend */
function limitFor(id: string, ctx: ActionContext, args: string[]): string[] | undefined {
  if (id === 'validate') return undefined;
  if (id !== 'network') return deployLimit(ctx, args);
  const limit = deployLimit(ctx, args);
  if (!limit) return undefined;
  const fe = ctx.cluster.getState().hosts.find((h) => h.role === 'frontend')?.key;
  const named = args.flatMap((a) => a.split(',')).map((a) => a.trim());
  return limit.filter((h) => h !== fe || named.includes(fe));
}

function limitText(limit: string[] | undefined): string {
  return limit ? ` on ${limit.join(', ')}` : ' on every host';
}

export function jobActions(): ActionDef[] {
  const playbook = (
    id: 'deploy' | 'hooks' | 'validate' | 'network',
    key: string | undefined,
    title: string,
    question: (limit: string) => string,
  ): ActionDef => ({
    id,
    title,
    keys: key ? [key] : [],
    scope: SCOPE,
    mutating: true,
    complete: id === 'validate' ? undefined : 'hosts',
    footer: id === 'deploy',
    short: id,
    disabledReason: (ctx) => lacking(ctx, id) ?? busy(ctx, 'ansible') ?? ctx.cluster.getState().inventoryProblem,
    confirm: (ctx, args) => {
      let limit: string[] | undefined;
      try {
        limit = limitFor(id, ctx, args);
      } catch {
        return undefined; // bad host names: run() reports them without asking first
      }
      return { question: question(limitText(limit)) };
    },
    run: async (ctx, args) => {
      const limit = limitFor(id, ctx, args);
      started(ctx, await jobs(ctx).playbook(ctx.session, id, limit), actionLabel({ title }));
    },
  });

  return [
    {
      id: 'plan',
      title: 'tofu plan',
      keys: ['p'],
      scope: SCOPE,
      mutating: true, // writes the tofu inputs and holds the state lock
      footer: true,
      short: 'plan',
      disabledReason: (ctx) => lacking(ctx, 'plan') ?? busy(ctx, 'tofu'),
      run: async (ctx) => {
        const id = await jobs(ctx).plan(ctx.session);
        started(ctx, id, 'plan');
        watchPlan(ctx, id);
      },
    },
    {
      id: 'init',
      title: 'tofu init (:init [upgrade])',
      short: 'init',
      keys: [],
      scope: SCOPE,
      mutating: true, // downloads providers and may migrate the state backend
      disabledReason: (ctx) => busy(ctx, 'tofu') ?? (ctx.services.jobs?.init ? undefined : 'init is not available in this build'),
      run: async (ctx, args) => started(ctx, await jobs(ctx).init!(ctx.session, args.includes('upgrade') || args.includes('-upgrade')), 'init'),
    },
    {
      id: 'apply',
      title: 'tofu apply (the reviewed plan)',
      keys: ['a'],
      scope: SCOPE,
      mutating: true,
      footer: true,
      short: 'apply',
      disabledReason: (ctx) => lacking(ctx, 'apply') ?? busy(ctx, 'tofu') ?? (ctx.cluster.getState().pendingPlan ? undefined : noPlanReason(ctx.cluster.getState().jobs)),
      confirm: (ctx) => {
        const pending = ctx.cluster.getState().pendingPlan;
        if (!pending) return undefined;
        const plan = pending.jobId;
        const what = counts(pending);
        const destroys = pending.destroys;
        if (destroys.length === 0) return { question: `apply plan ${plan} (${what})? [y/N]` };
        const names = destroyNames(destroys);
        const expect = names.join(',');
        return {
          question: `apply plan ${plan}: it DESTROYS ${destroys.join(', ')} (${what}). Type ${expect} to confirm`,
          expect,
        };
      },
      run: async (ctx) => {
        const plan = ctx.cluster.getState().pendingPlan?.jobId;
        if (!plan) throw new Error(noPlanReason(ctx.cluster.getState().jobs));
        const id = await jobs(ctx).apply(ctx.session, plan);
        // applied from the plan review: go on to the apply's log (the review would only say "another job is running")
        if (currentScreen(ctx.ui.getState()).id === 'plan') {
          ctx.ui.setState({ focusedJob: id });
          replaceScreen(ctx.ui, { id: 'logs' });
        }
        started(ctx, id, 'apply');
      },
    },
    playbook('deploy', 'd', 'OneDeploy (:deploy [host…])', (on) => `run OneDeploy${on}? It reconfigures OpenNebula and the hypervisors. [y/N]`),
    playbook('hooks', 'h', 'Flexible-IP hooks (:hooks [host…])', (on) => `deploy the Flexible-IP hooks${on} and sync them to the hypervisors? [y/N]`),
    playbook(
      'network',
      undefined,
      'host network: netplan bridges and VLANs (:network [host…])',
      (on) => `configure the host network (netplan: br0, VLANs, brvmtovm)${on}? A wrong network can cut a server off; it is applied one host at a time and rolled back on failure. [y/N]`,
    ),
    playbook(
      'validate',
      'v',
      'validation suite',
      () => 'run the validation suite? It restarts OpenNebula services and creates test VMs. [y/N]',
    ),
    {
      id: 'cancel',
      title: 'cancel the running job (:cancel [job])',
      keys: ['x'],
      complete: 'jobs',
      scope: SCOPE,
      mutating: true,
      disabledReason: (ctx) => {
        if (ctx.services.operations && runningOperation(ctx.cluster.getState().operations)) return undefined;
        if (!ctx.services.jobs) return 'jobs are not available in this build';
        return runningJob(ctx) ? undefined : 'no job is running';
      },
      confirm: (ctx, args) => {
        // while an operation runs, x cancels it: its running step's job, and it shows cancelled there
        const op = !args[0] && ctx.services.operations ? runningOperation(ctx.cluster.getState().operations) : undefined;
        if (op) return { question: `cancel operation ${op.title} at ${currentStep(op)?.title ?? 'its step'}? Its running job is cancelled; :resume goes on from there. [y/N]` };
        const id = jobArg(ctx, args[0]) ?? runningJob(ctx);
        return id ? { question: `cancel ${describeJob(ctx, id)}? SIGINT, then SIGKILL if it does not stop [y/N]` } : undefined;
      },
      run: async (ctx, args) => {
        const op = !args[0] && ctx.services.operations ? runningOperation(ctx.cluster.getState().operations) : undefined;
        if (op) {
          ctx.services.operations!.cancel(ctx.session, op.id);
          ctx.ui.setState({ flash: { level: 'info', text: `cancelling operation ${op.id}…`, at: Date.now() } });
          return;
        }
        const id = jobArg(ctx, args[0]) ?? runningJob(ctx);
        if (!id) throw new Error('no job is running');
        await jobs(ctx).cancel(ctx.session, id);
        ctx.ui.setState({ focusedJob: id, flash: { level: 'info', text: `cancelling job ${id}…`, at: Date.now() } });
      },
    },
  ];
}
