// Follow one job headless: wait for its record in the cluster store (the job watcher keeps the
// list in step), stream its output.log line by line as it grows, and resolve with the record
// once its state is final. Nothing here depends on the job service: only the store and the file.
import type { JobRecord } from '../domain/job.js';
import { LogFollower } from '../jobs/log-follower.js';
import { LogHub } from '../logs/log-hub.js';
import { createClusterStore, type ClusterStore } from '../store/cluster-store.js';

export interface StreamOptions {
  /** called with every complete line of the job's log, in order */
  onLine: (line: string) => void;
  /** how often to look for new lines besides the file watch (default 100 ms) */
  pollMs?: number;
  /** stop waiting (ctrl-c): resolves with undefined, the job goes on */
  signal?: AbortSignal;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'lost']);

export function followJob(cluster: ClusterStore, jobId: string, opts: StreamOptions): Promise<JobRecord | undefined> {
  // a hub of its own, so the stream depends on nobody else's buffers or their trimming
  const hub = new LogHub(createClusterStore({ name: '', zone: '', region: '', opennebulaVersion: '', sandbox: false, configFile: null, refreshSeconds: 60 }));
  const logId = `stream:${jobId}`;
  let follower: LogFollower | undefined;
  let next = 0;
  const drain = (): void => {
    if (!hub.has(logId)) return;
    const b = hub.buffer(logId);
    // lines that fell out of the ring before they were printed are said, not silently lost
    if (next < b.first()) {
      opts.onLine(`[… ${b.first() - next} lines skipped; the whole log is on disk]`);
      next = b.first();
    }
    for (const l of b.slice(next, b.total())) opts.onLine(l.text);
    next = b.total();
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (j: JobRecord | undefined): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      unsubscribe();
      opts.signal?.removeEventListener('abort', onAbort);
      follower?.stop(); // reads what was appended last
      drain();
      hub.stop();
      resolve(j);
    };
    const check = (): void => {
      if (done) return;
      const j = cluster.getState().jobs.find((x) => x.id === jobId);
      if (!j) return;
      if (!follower && j.logFile) {
        follower = new LogFollower(j.logFile, hub, logId, { initialLines: Number.MAX_SAFE_INTEGER, pollMs: opts.pollMs ?? 100 });
        follower.start();
      }
      follower?.poll();
      drain();
      if (FINAL.has(j.state)) finish(j);
    };
    const onAbort = (): void => finish(undefined);
    if (opts.signal?.aborted) return finish(undefined);
    opts.signal?.addEventListener('abort', onAbort);
    const unsubscribe = cluster.subscribe(check);
    const timer = setInterval(check, opts.pollMs ?? 100);
    check();
  });
}
