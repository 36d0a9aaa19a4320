// Jobs on disk: $XDG_STATE_HOME/onedeck/jobs/<id>/ with spec.json (what to run, no secret
// values), status.json (the JobRecord, written atomically by the runner), output.log (readable,
// masked), events.jsonl (raw structured events, masked) and, for plans, plan-summary.json.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { JobCluster, JobKind, JobRecord } from '../domain/job.js';
import { OnedeckError } from '../errors.js';
import { isAlive, toolGroupAlive } from './proc.js';

export type StreamFormat = 'plain' | 'tofu-json' | 'ansible-jsonl';

/** A command whose stdout goes to a file (mode 0600, renamed into place), never to the log. */
export interface CommandStep {
  command: string;
  args: string[];
  stdoutFile: string;
}

/** The Ansible inventory rendered from the outputs file an earlier step wrote, inside the job. */
export interface InventoryStep {
  renderInventory: { outputsFile: string; inventoryFile: string; config: Config };
}

export type PostStep = CommandStep | InventoryStep;

export interface JobSpec {
  id: string;
  kind: JobKind;
  title: string;
  command: string;
  args: string[];
  cwd: string;
  /** extra non-secret environment for the tool */
  env: Record<string, string>;
  /** names of variables whose values (taken from the runner's own environment) are secrets */
  secretEnv: string[];
  /** the command line as shown, secrets masked */
  display: string;
  format: StreamFormat;
  mutating: boolean;
  /** the machine-wide lock file, for mutating jobs */
  lockFile?: string;
  user: string;
  from?: string;
  host: string;
  /** ms between SIGINT and SIGKILL of the tool's group on cancel */
  killGraceMs: number;
  /** run after a successful main command (e.g. `tofu output -json`) */
  post?: PostStep[];
  planJobId?: string;
  /** tool name for messages ("tofu force-unlock …") */
  toolName?: string;
  /** the cluster it belongs to: name, config file, terraform directory (absent in older specs) */
  cluster?: JobCluster;
}

/** A spec's cluster, or for a spec older than that, only its directory (a tofu job's cwd is the terraform directory). */
function clusterOfSpec(spec: JobSpec | undefined): JobCluster | undefined {
  if (!spec) return undefined;
  if (spec.cluster) return spec.cluster;
  return typeof spec.cwd === 'string' ? { terraformDir: spec.cwd, legacy: true } : undefined;
}

export const FILES = {
  spec: 'spec.json',
  status: 'status.json',
  log: 'output.log',
  events: 'events.jsonl',
  plan: 'plan-summary.json',
  planFile: 'plan.tfplan',
} as const;

const two = (n: number) => String(n).padStart(2, '0');

/** Sortable id: 20261127-140212-plan-3f2a (local time). */
export function newJobId(kind: string, now = new Date()): string {
  const d = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}`;
  const t = `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return `${d}-${t}-${kind}-${randomBytes(2).toString('hex')}`;
}

export function jobDir(jobsDir: string, id: string): string {
  if (!/^[\w.-]+$/.test(id)) throw new Error(`bad job id ${JSON.stringify(id)}`);
  return join(jobsDir, id);
}

/** Write JSON atomically (temp file + rename), so a reader never sees half a file. */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(value, null, 1), { mode });
    renameSync(tmp, file);
  } catch (err) {
    // a full disk must not leave half-written temp files behind
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw err;
  }
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function createJobDir(jobsDir: string, spec: JobSpec): string {
  const dir = jobDir(jobsDir, spec.id);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeJsonAtomic(join(dir, FILES.spec), spec, 0o600);
  } catch (cause) {
    // no phantom job: a directory without its spec would list as "lost — the runner never started"
    rmSync(dir, { recursive: true, force: true });
    throw stateWriteError(`cannot record the job ${spec.id}`, jobsDir, cause);
  }
  return dir;
}

/** A job's record as its files tell it; a dead runner of a "running" job makes it 'lost'. */
export function readJob(jobsDir: string, id: string): JobRecord {
  const dir = join(jobsDir, id);
  const logFile = join(dir, FILES.log);
  const status = readJson<JobRecord>(join(dir, FILES.status));
  if (!status || typeof status !== 'object' || typeof status.state !== 'string') {
    const spec = readJson<JobSpec>(join(dir, FILES.spec));
    const hasStatus = existsSync(join(dir, FILES.status));
    // the runner writes its first status within a second or so of the directory being made
    const starting = !hasStatus && spec !== undefined && Date.now() - startedFromId(id) < 15_000;
    return {
      id,
      kind: spec?.kind ?? 'other',
      title: spec?.title ?? id,
      command: spec?.display ?? '',
      mutating: spec?.mutating ?? false,
      user: spec?.user ?? '?',
      from: spec?.from,
      ...(clusterOfSpec(spec) ? { cluster: clusterOfSpec(spec) } : {}),
      startedAt: startedFromId(id),
      state: starting ? 'running' : 'lost',
      summary: starting ? 'starting…' : hasStatus ? 'status file is unreadable' : 'the runner never started',
      logFile,
    };
  }
  const rec: JobRecord = { ...status, id, logFile };
  if (!rec.cluster) {
    const c = clusterOfSpec(readJson<JobSpec>(join(dir, FILES.spec)));
    if (c) rec.cluster = c;
  }
  if (rec.state === 'running' && !isAlive(rec.pid, rec.pidStart)) {
    rec.state = 'lost';
    // the runner was killed (SIGKILL, OOM): its tool's group may still run, orphaned; `:cancel` ends it
    rec.toolAlive = rec.pgid !== undefined && toolGroupAlive(rec.pgid, rec.pgidStart);
    rec.summary = rec.toolAlive
      ? `the job runner (pid ${rec.pid}) died; its tool still runs (process group ${rec.pgid}): x or :cancel ends it`
      : `the job runner (pid ${rec.pid}) died without recording a result`;
  }
  return rec;
}

function startedFromId(id: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)/.exec(id);
  if (!m) return 0;
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).getTime();
}

/** Names of the job directories under jobsDir. */
export function jobNames(jobsDir: string): string[] {
  try {
    return readdirSync(jobsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^\d{8}-\d{6}-/.test(d.name))
      .map((d) => d.name);
  } catch {
    return [];
  }
}

export const byNewest = (a: JobRecord, b: JobRecord) => b.startedAt - a.startedAt || b.id.localeCompare(a.id);

/** A state directory that cannot be written (ENOSPC, EDQUOT, EROFS, EACCES) as a message for a person. */
export function stateWriteError(what: string, dir: string, cause: unknown): OnedeckError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exhausted',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
  };
  return new OnedeckError(`${what}: ${code ? `${why[code] ?? code} (${code})` : (cause as Error).message} in ${dir}.`, {
    hint: code === 'ENOSPC' || code === 'EDQUOT' ? `Free space where ${dir} lives (df -h ${dir}); nothing was started.` : `Check ${dir}; nothing was started.`,
    cause,
  });
}
