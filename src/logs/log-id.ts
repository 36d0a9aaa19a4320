// The ids of the logs the LogHub holds, in one place: `job:<job id>` for a job's output and
// `hooklog:<host>:<n>` for one tail of a host's Flexible-IP hook logs (n: the nth tail opened).
export type LogRef = { kind: 'job'; jobId: string } | { kind: 'hooklog'; host: string; seq: number };

export function jobLogId(jobId: string): string {
  return `job:${jobId}`;
}

export function hookLogId(host: string, seq: number): string {
  return `hooklog:${host}:${seq}`;
}

/** The log an id names, or undefined for an id this codec did not make. */
export function parseLogId(id: string): LogRef | undefined {
  if (id.startsWith('job:') && id.length > 4) return { kind: 'job', jobId: id.slice(4) };
  const m = /^hooklog:(.+):(\d+)$/.exec(id);
  return m ? { kind: 'hooklog', host: m[1], seq: Number(m[2]) } : undefined;
}

/** The job whose log `id` is, or undefined. */
export function jobOfLog(id: string): string | undefined {
  const r = parseLogId(id);
  return r?.kind === 'job' ? r.jobId : undefined;
}
