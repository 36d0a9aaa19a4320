// `onedeck run ACTION [ARGS…]`: the second front end of the one action surface. It composes the
// core like the full-screen UI does, with a session and a UI store of its own and no Ink, and
// runs the action through the same executor (read-only, disabled reasons, confirmations). When
// the action starts a job, the job's log streams to stdout and the exit code is the job's result.
import { readonlyVerdict } from './readonly.js';

/** actions the credentials may leave out (src/domain/credential-access.ts) */
const CREDENTIAL_GATED = new Set(['plan', 'apply', 'add', 'remove', 'rollback', 'resume', 'deploy', 'network', 'hooks', 'validate']);
import { join } from 'node:path';
import type { ActionDef } from '../actions/types.js';
import type { IssuedConfirmation, RunOutcome } from '../actions/executor.js';
import { composeCore, type Core } from '../compose.js';
import type { JobRecord } from '../domain/job.js';
import { ExitCode, OnedeckError } from '../errors.js';
import { operatorFromEnv } from '../session.js';
import { createAppLog } from '../logs/app-log.js';
import type { Paths } from '../paths.js';
import type { Session } from '../session.js';
import { createUiStore, type UiStore } from '../store/ui-store.js';
import type { CliArgs } from './args.js';
import { installLocation } from './install-location.js';
import { followJob } from './job-stream.js';
import { runOperationCommand } from './operation-cli.js';
import { resolveConfig } from './resolve-config.js';

/** exit codes of `onedeck run` (those of src/errors.ts; 1 is "did not succeed") */
export const RunExit = {
  ok: ExitCode.ok,
  /** the job failed, was cancelled or lost, or the action was refused or not confirmed */
  failed: 1,
  usage: ExitCode.usage,
  /** ctrl-c while streaming: the job goes on, detached (128 + SIGINT) */
  interrupted: 130,
} as const;

export interface RunIo {
  /** stdout: the job's log, or JSON lines */
  out: (line: string) => void;
  /** stderr: onedeck's own messages (not with --json) */
  err: (line: string) => void;
  /** aborted on ctrl-c (main wires SIGINT) */
  interrupt?: AbortSignal;
}

/** An action runs headless when it changes the cluster (the job actions); the others only move the UI. */
export const isHeadless = (def: ActionDef): boolean => def.mutating;

export function listActions(core: Pick<Core, 'registry'>, json: boolean): string {
  const defs = core.registry.all();
  if (json) {
    return `${JSON.stringify(defs.map((d) => ({ id: d.id, keys: d.keys, aliases: d.aliases ?? [], title: d.title, mutating: d.mutating, headless: isHeadless(d) })))}\n`;
  }
  const rows = defs.map((d) => [d.id, d.keys.join(' ') || '—', d.mutating ? 'yes' : 'no', isHeadless(d) ? 'run' : 'ui only', d.title]);
  const head = ['ACTION', 'KEYS', 'MUTATING', 'WHERE', 'TITLE'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

export async function runCommand(args: CliArgs, paths: Paths, io: RunIo): Promise<number> {
  const [name, ...actionArgs] = args.rest;
  if (!args.list && !name) {
    throw new OnedeckError('onedeck run needs an action.', { hint: 'For example: onedeck run plan. `onedeck run --list` lists the actions.', exitCode: ExitCode.usage });
  }
  const config = await resolveConfig(args, paths);
  const log = createAppLog(paths.logFile);
  const operator = operatorFromEnv();
  const runnerScript = join(installLocation().distDir, 'job-runner.js');
  const core = composeCore({ config, paths, log, refreshSeconds: args.refresh, runnerScript });
  if (args.list) {
    io.out(listActions(core, args.json).replace(/\n$/, ''));
    return RunExit.ok;
  }
  const def = core.registry.get(name);
  if (!def) {
    throw new OnedeckError(`no action named "${name}".`, { hint: '`onedeck run --list` lists the actions.', exitCode: ExitCode.usage });
  }
  if (!isHeadless(def)) {
    throw new OnedeckError(`"${def.id}" is not a headless action: it only moves the full-screen UI.`, {
      hint: 'Actions that run headless are marked "run" in `onedeck run --list`.',
      exitCode: ExitCode.usage,
    });
  }
  // the operations: `run add` / `run remove` are `onedeck add` / `onedeck remove` (the same
  // executor, then the journal followed: one line per step event, exit 0 done / 1 not)
  if (def.id === 'add' || def.id === 'remove') {
    await core.stop();
    return runOperationCommand(def.id, { ...args, rest: actionArgs }, paths, io);
  }
  const ro = readonlyVerdict(args.readonly, config);
  const session: Session = { id: `run-${process.pid}`, readonly: ro.readonly, ...(ro.reason ? { readonlyReason: ro.reason, readonlyForced: ro.forced } : {}), ...operator };
  log.info(`run ${def.id} ${actionArgs.join(' ')}: config ${config.source.file}${session.readonly ? ` (read-only: ${ro.reason})` : ''}`.trim());
  const r = new Reporter(io, args.json);
  core.start();
  try {
    // named hosts are checked against (and completed from) the hosts the health sweep knows; and
    // what the credentials leave out (the sweep reads IAM and sudo) is refused before it starts
    if (actionArgs.length || CREDENTIAL_GATED.has(def.id)) await core.services.refresh?.();
    const ui = createUiStore();
    const jobsBefore = new Set(core.cluster.getState().jobs.map((j) => j.id));
    const outcome = await confirmAndRun(core, def, actionArgs, session, ui, args, r);
    if (outcome !== undefined) return outcome;
    const jobId = ui.getState().focusedJob;
    const note = ui.getState().flash?.text;
    if (!jobId || jobsBefore.has(jobId)) {
      // done without a new job (cancel acts on a job that already runs)
      r.event({ type: 'done', action: def.id, message: note }, note ?? `${def.id}: done`);
      return RunExit.ok;
    }
    r.event({ type: 'started', action: def.id, job: jobId }, note ?? `${def.id} started: job ${jobId}`);
    const end = await followJob(core.cluster, jobId, { onLine: (line) => r.log(jobId, line), signal: io.interrupt });
    return endOf(jobId, end, r);
  } finally {
    await core.stop();
  }
}

/** Run; answer its confirmation from --yes / --confirm. A number is the exit code of a refusal. */
async function confirmAndRun(core: Core, def: ActionDef, args: string[], session: Session, ui: UiStore, cli: CliArgs, r: Reporter): Promise<number | undefined> {
  let outcome = await core.executor.run(def.id, args, session, ui);
  if (!outcome.ok && outcome.reason === 'needs-confirmation' && outcome.confirmation) {
    const c = outcome.confirmation;
    const text = answerFor(c, cli);
    if (text === undefined) return refuseUnconfirmed(c, cli, r);
    outcome = await core.executor.run(def.id, args, session, ui, { token: c.token, text });
  }
  return outcome.ok ? undefined : refused(outcome, r);
}

function answerFor(c: IssuedConfirmation, cli: CliArgs): string | undefined {
  if (c.expect) return cli.confirm;
  return cli.yes ? 'y' : undefined;
}

function refuseUnconfirmed(c: IssuedConfirmation, cli: CliArgs, r: Reporter): number {
  const how = c.expect
    ? `it destroys something: pass --confirm ${c.expect} to go ahead${cli.yes ? ' (--yes does not answer a destroy)' : ''}`
    : 'pass --yes to go ahead';
  r.event({ type: 'confirm', question: c.question, expect: c.expect }, `${c.question}\nnot run: ${how}`);
  return RunExit.failed;
}

function refused(o: Extract<RunOutcome, { ok: false }>, r: Reporter): number {
  const hint = o.reason === 'readonly' ? '\nthis session is read-only (--readonly, ONEDECK_READONLY=1, readonly: true in the config, or the administrator\'s force_readonly)' : '';
  r.event({ type: 'refused', reason: o.reason, message: o.message }, `not run: ${o.message}${hint}`);
  return o.reason === 'unknown' ? RunExit.usage : RunExit.failed;
}

function endOf(jobId: string, end: JobRecord | undefined, r: Reporter): number {
  if (!end) {
    r.event({ type: 'detached', job: jobId }, `stopped watching: job ${jobId} goes on, detached. Watch it in onedeck (:jobs), or cancel it with: onedeck run cancel ${jobId} --yes`);
    return RunExit.interrupted;
  }
  r.event(
    { type: 'end', job: jobId, state: end.state, exitCode: end.exitCode ?? null, summary: end.summary },
    `job ${jobId} ${end.state}${end.summary ? `: ${end.summary}` : ''}`,
  );
  return end.state === 'succeeded' ? RunExit.ok : RunExit.failed;
}

/** Human output: the log on stdout, onedeck's own words on stderr. --json: one event per line on stdout. */
class Reporter {
  constructor(
    private readonly io: RunIo,
    private readonly json: boolean,
  ) {}

  event(e: Record<string, unknown>, text: string): void {
    if (this.json) this.io.out(JSON.stringify(e));
    else for (const l of text.split('\n')) this.io.err(`onedeck: ${l}`);
  }

  log(job: string, line: string): void {
    this.io.out(this.json ? JSON.stringify({ type: 'log', job, line }) : line);
  }
}
