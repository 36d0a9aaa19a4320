// Starts a job: writes its directory and spec, spawns the detached runner (own session, no
// stdio, unref'd) with the secrets in its environment only, and waits until the runner has
// recorded the start (or refused it because another mutating job holds the lock).
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { JobCluster, JobKind, JobRecord } from '../domain/job.js';
import { OnedeckError } from '../errors.js';
import { createJobDir, FILES, newJobId, readJson, stateWriteError, type JobSpec, type PostStep, type StreamFormat } from './job-store.js';
import { heldError, lockHolder } from './lock.js';
import { createMasker, displayCommand } from './mask.js';

export interface LaunchRequest {
  kind: JobKind;
  title: string;
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  format: StreamFormat;
  mutating: boolean;
  post?: PostStep[];
  planJobId?: string;
  toolName?: string;
  /** a fixed id (apply/plan need the directory before the command line is known) */
  id?: string;
  /** the cluster it belongs to (src/jobs/cluster-identity.ts) */
  cluster?: JobCluster;
}

export interface LaunchContext {
  jobsDir: string;
  lockFile: string;
  runnerScript: string;
  user: string;
  from?: string;
  secrets: Record<string, string>;
  killGraceMs: number;
  startTimeoutMs?: number;
  /** the audit log (default: audit.log next to the lock file, in the state directory) */
  auditFile?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start a job; resolves with its id once the runner reports it running (or finished). */
export async function launchJob(req: LaunchRequest, ctx: LaunchContext): Promise<string> {
  if (!existsSync(ctx.runnerScript)) {
    throw new OnedeckError(`the job runner ${ctx.runnerScript} is missing`, { hint: 'Rebuild onedeck: npm run build.' });
  }
  if (req.mutating) {
    const h = lockHolder(ctx.lockFile);
    if (h) throw heldError(h);
  }
  mkdirSync(ctx.jobsDir, { recursive: true, mode: 0o700 });
  const secretNames = Object.keys(ctx.secrets).filter((k) => ctx.secrets[k]);
  const mask = createMasker(secretNames.map((k) => ctx.secrets[k]));
  const id = req.id ?? newJobId(req.kind);
  const spec: JobSpec = {
    id,
    kind: req.kind,
    title: req.title,
    command: req.command,
    args: req.args,
    cwd: req.cwd,
    env: Object.fromEntries(Object.entries(req.env ?? {}).map(([k, v]) => [k, v])),
    secretEnv: secretNames,
    display: displayCommand(req.command, req.args, mask),
    format: req.format,
    mutating: req.mutating,
    ...(req.mutating ? { lockFile: ctx.lockFile } : {}),
    user: ctx.user,
    ...(ctx.from ? { from: ctx.from } : {}),
    host: hostname(),
    killGraceMs: ctx.killGraceMs,
    ...(req.post ? { post: req.post } : {}),
    ...(req.planJobId ? { planJobId: req.planJobId } : {}),
    ...(req.toolName ? { toolName: req.toolName } : {}),
    ...(req.cluster ? { cluster: req.cluster } : {}),
  };
  // a secret never goes into the spec: fail loudly if one slipped into args or env
  const specText = JSON.stringify(spec);
  for (const k of secretNames) {
    if (ctx.secrets[k].length >= 4 && specText.includes(ctx.secrets[k])) {
      throw new OnedeckError(`refusing to start ${req.title}: the value of ${k} would be written to the job's spec`, {
        hint: 'Secrets travel in the environment only; this is a bug in onedeck.',
      });
    }
  }
  // a job that reaches the cluster is on the audit log before it starts, or it does not start
  if (req.mutating) {
    const auditFile = ctx.auditFile ?? join(dirname(ctx.lockFile), 'audit.log');
    const line = { at: new Date().toISOString(), user: ctx.user, from: ctx.from, action: `job:${req.kind}`, args: [id], outcome: 'starting', command: spec.display };
    try {
      appendFileSync(auditFile, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    } catch (cause) {
      throw stateWriteError(`${req.title}: refused, the audit log ${auditFile} cannot be written`, dirname(auditFile), cause);
    }
  }
  const dir = createJobDir(ctx.jobsDir, spec);
  // the runner's own crash output (never the tool's) goes to runner.err
  let errFd: number;
  try {
    errFd = openSync(join(dir, 'runner.err'), 'a', 0o600);
  } catch (cause) {
    rmSync(dir, { recursive: true, force: true });
    throw stateWriteError(`${req.title}: cannot record the job`, ctx.jobsDir, cause);
  }
  const child = spawn(process.execPath, [ctx.runnerScript, dir], {
    detached: true,
    stdio: ['ignore', 'ignore', errFd],
    cwd: req.cwd,
    env: { ...process.env, ...ctx.secrets },
  });
  child.on('error', () => {}); // reported through the missing status below
  let runnerGone = false;
  child.once('exit', () => (runnerGone = true));
  child.unref();
  closeSync(errFd);
  const deadline = Date.now() + (ctx.startTimeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const st = readJson<JobRecord>(join(dir, FILES.status));
    if (!st && runnerGone && !existsSync(join(dir, FILES.status))) {
      // the runner died before recording anything (a full disk): no phantom job is left
      let why = '';
      try {
        why = readFileSync(join(dir, 'runner.err'), 'utf8').split('\n').find((l) => /Error|ENOSPC|EDQUOT|EROFS/.test(l)) ?? '';
      } catch {
        /* nothing written */
      }
      rmSync(dir, { recursive: true, force: true });
      if (/ENOSPC/.test(why)) throw stateWriteError(`${req.title}: the job runner could not record the job`, ctx.jobsDir, Object.assign(new Error(why), { code: 'ENOSPC' }));
      throw new OnedeckError(`${req.title}: the job runner stopped before recording the job${why ? ` (${why.trim().slice(0, 200)})` : ''}.`, {
        hint: `Check the state directory ${ctx.jobsDir} (df -h) and run onedeck --debug.`,
      });
    }
    if (st?.state === 'failed' && st.summary?.startsWith('not started:')) {
      const h = lockHolder(ctx.lockFile);
      if (h && h.jobId !== id) throw heldError(h);
      throw new OnedeckError(`${req.title}: ${st.summary}`);
    }
    if (st && (st.pgid !== undefined || st.state !== 'running')) return id;
    await sleep(25);
  }
  throw new OnedeckError(`${req.title}: the job runner did not start within ${Math.round((ctx.startTimeoutMs ?? 15_000) / 1000)} s`, {
    hint: `See ${join(dir, FILES.log)}.`,
  });
}
