// Which cluster a job belongs to: the cluster name, the config file and the terraform directory
// of the session that started it (kept in its spec and status). Jobs live in one directory per
// machine, so a session shows and acts on its own cluster's jobs only; a plan is applied only by
// a session of the cluster that made it, in the directory it was made in.
import type { Config } from '../config/schema.js';
import type { JobCluster, JobRecord } from '../domain/job.js';
import { OnedeckError } from '../errors.js';
import { readJob } from './job-store.js';

export type { JobCluster } from '../domain/job.js';

/** The identity every job started under this config records. */
export function clusterIdentity(config: Pick<Config, 'cluster' | 'source' | 'paths'>): JobCluster {
  return { name: config.cluster, configFile: config.source.file, terraformDir: config.paths.terraform };
}

/**
 * Does a job (its recorded identity) belong to the cluster `mine`? A job recorded before jobs
 * carried an identity (only its terraform directory is known, from its spec's cwd) belongs to a
 * cluster only when that directory is the cluster's; with no identity at all, to none.
 */
export function belongsTo(job: { cluster?: JobCluster }, mine: JobCluster): boolean {
  const c = job.cluster;
  if (!c) return false;
  if (c.terraformDir !== mine.terraformDir) return false;
  return c.legacy === true || (c.configFile ?? null) === (mine.configFile ?? null);
}

/** How a job of another cluster is named to a person: "cluster prodb (/etc/onedeck/prodb.yaml)". */
export function describeCluster(c: JobCluster | undefined): string {
  if (!c) return 'an unknown cluster (recorded before jobs named their cluster)';
  if (c.legacy) return `the terraform directory ${c.terraformDir}`;
  return `cluster ${c.name ?? '?'} (${c.configFile ?? 'no config file'}, terraform ${c.terraformDir})`;
}

/** The job's record, if it is this cluster's; another cluster's job is not this session's to act on. */
export function ownJobRecord(jobsDir: string, jobId: string, mine: JobCluster, what: string): JobRecord {
  const rec = readJob(jobsDir, jobId);
  if (!belongsTo(rec, mine)) {
    throw new OnedeckError(`${what}: job ${jobId} belongs to ${describeCluster(rec.cluster)}, not to this session's cluster ${mine.name} (${mine.configFile ?? 'no config file'})`, {
      hint: `Act on it from a session of its own cluster (onedeck --config ${rec.cluster?.configFile ?? '<its onedeck.yaml>'}).`,
    });
  }
  return rec;
}
