// The one registry of loaded logs. A log is loaded when someone opens it (a screen on the stack,
// the main screen's job pane, a running job) and held while anyone does; a job's log that nobody
// holds stays loaded for a while and is evicted least recently used first, and can always be
// loaded again. Reading (`buffer`, `has`) never loads: views only read what is there.
import type { ClusterStore } from '../store/cluster-store.js';
import type { LogHub } from './log-hub.js';
import { jobLogId, parseLogId, type LogRef } from './log-id.js';
import type { RingBuffer } from './ring-buffer.js';

/** A loaded log: the follower or tail that fills its buffer. */
export interface LogHandle {
  stop(): void;
  /** read what is new now (a job that has just ended) */
  poll?(): void;
}

/** Starts filling the buffer `id` (a job's output.log, a host's hook-log tail). */
export type LogSource<K extends LogRef['kind']> = (id: string, ref: Extract<LogRef, { kind: K }>) => LogHandle;

/** What actions and views see of the registry (Services.logs). */
export interface LogAccess {
  /** hold a log; the first holder loads it */
  open(id: string): void;
  /** let go of a log opened with open() */
  close(id: string): void;
  /** the lines loaded so far, or undefined; never loads */
  buffer(id: string): RingBuffer | undefined;
  has(id: string): boolean;
  /** whether this build can open logs of this kind */
  supports(kind: LogRef['kind']): boolean;
}

export interface LogRegistryOptions {
  job?: LogSource<'job'>;
  hooklog?: LogSource<'hooklog'>;
  /** job logs nobody holds that stay loaded (the least recently used go first) */
  keepIdle?: number;
}

export class LogRegistry implements LogAccess {
  private readonly holders = new Map<string, number>();
  /** loaded logs, least recently used first */
  private readonly loaded = new Map<string, LogHandle>();

  constructor(
    private readonly hub: LogHub,
    private readonly o: LogRegistryOptions = {},
  ) {}

  supports(kind: LogRef['kind']): boolean {
    return !!this.o[kind];
  }

  open(id: string): void {
    this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
    const h = this.loaded.get(id);
    if (h) {
      // most recently used goes last
      this.loaded.delete(id);
      this.loaded.set(id, h);
      return;
    }
    const handle = this.load(id);
    if (handle) this.loaded.set(id, handle);
  }

  close(id: string): void {
    const n = (this.holders.get(id) ?? 0) - 1;
    if (n > 0) return void this.holders.set(id, n);
    this.holders.delete(id);
    // a hook-log tail is live only: nobody looks, nothing to keep
    if (parseLogId(id)?.kind === 'hooklog') this.unload(id);
    else this.evict();
  }

  /** Read what a log's source has now (the end of a job), without waiting for its watcher. */
  poll(id: string): void {
    this.loaded.get(id)?.poll?.();
  }

  buffer(id: string): RingBuffer | undefined {
    return this.hub.peek(id);
  }

  has(id: string): boolean {
    return this.hub.has(id);
  }

  /** how many hold `id` (tests, diagnostics) */
  held(id: string): number {
    return this.holders.get(id) ?? 0;
  }

  isLoaded(id: string): boolean {
    return this.loaded.has(id);
  }

  /** Stop every source (the core stops). */
  stop(): void {
    for (const h of this.loaded.values()) h.stop();
    this.loaded.clear();
    this.holders.clear();
  }

  private load(id: string): LogHandle | undefined {
    const ref = parseLogId(id);
    if (!ref || !this.o[ref.kind]) return undefined;
    // a buffer left from an earlier load starts over, so the lines are not there twice
    this.hub.drop(id);
    return ref.kind === 'job' ? this.o.job!(id, ref) : this.o.hooklog!(id, ref);
  }

  private unload(id: string): void {
    const h = this.loaded.get(id);
    if (!h) return;
    this.loaded.delete(id);
    h.stop();
    this.hub.drop(id);
  }

  private evict(): void {
    const idle = [...this.loaded.keys()].filter((id) => !this.holders.has(id));
    const keep = this.o.keepIdle ?? 6;
    for (const id of idle.slice(0, Math.max(0, idle.length - keep))) this.unload(id);
  }
}

/**
 * Hold the log of every running job while it runs (its lines are read as they come), and read
 * the end of it when the job stops. Returns the unsubscribe.
 */
export function holdRunningJobLogs(cluster: ClusterStore, logs: Pick<LogRegistry, 'open' | 'close' | 'poll'>): () => void {
  const running = new Set<string>();
  const sync = () => {
    const now = new Set(cluster.getState().jobs.filter((j) => j.state === 'running').map((j) => j.id));
    for (const id of now) if (!running.has(id)) logs.open(jobLogId(id));
    for (const id of running) {
      if (now.has(id)) continue;
      logs.poll(jobLogId(id));
      logs.close(jobLogId(id));
    }
    running.clear();
    for (const id of now) running.add(id);
  };
  sync();
  let last = cluster.getState().jobs;
  const unsub = cluster.subscribe((s) => {
    if (s.jobs === last) return;
    last = s.jobs;
    sync();
  });
  return () => {
    unsub();
    for (const id of running) logs.close(jobLogId(id));
    running.clear();
  };
}
