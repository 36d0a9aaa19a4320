// Keeps the cluster store true and fresh: a sweep every refresh interval (never two at once),
// `refreshNow()` for the `r` key. The store is only written when something changed.
//
// What "changed" means: rows, drift and source errors are compared as a stable serialisation
// WITHOUT their read timestamps (`at`, `lastOkAt`). When only timestamps moved, the hosts array
// is kept (no table re-render) and only `refreshedAt` is updated, one cheap header update. So a
// row's `at` is the time its current value was first read; every source without an entry in
// `sourceErrors` was re-read successfully at `refreshedAt`. A source that fails keeps its last
// value with its old `at` and gets a source error, which is a change, so nothing stale looks fresh.
import type { Config } from '../config/schema.js';
import { notify, type ClusterStore } from '../store/cluster-store.js';
import { accessLines } from '../domain/credential-access.js';
import type { Activity } from '../idle.js';
import { Sweeper, type SweepDeps, type SweepResult } from './sweep.js';

export interface MonitorDeps extends SweepDeps {
  /** seconds between sweeps (the --refresh flag); default config.refresh_seconds */
  refreshSeconds?: number;
  /** called when a sweep throws unexpectedly (a bug, not a source failure) */
  onError?: (err: unknown) => void;
  /** the core's idle signal: a sweep in flight counts as busy */
  activity?: Activity;
  /** a scheduled sweep shows `refreshing` only once it has run this long (default 1000 ms): a
   * quick one does not flash the header twice; the first sweep and `r` show it at once */
  refreshingAfterMs?: number;
}

const TIMESTAMP_KEYS = new Set(['at', 'lastOkAt']);

/** JSON with sorted keys and without read timestamps. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (k, v) => {
    if (TIMESTAMP_KEYS.has(k)) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((key) => [key, (v as Record<string, unknown>)[key]]));
    }
    return v;
  });
}

export class HealthMonitor {
  private readonly sweeper: Sweeper;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private running = false;
  private lastKey = '';
  private lastAccessKey = '';
  private readonly intervalMs: number;

  constructor(
    private readonly config: Config,
    private readonly cluster: ClusterStore,
    private readonly deps: MonitorDeps = {},
  ) {
    this.sweeper = new Sweeper(config, deps);
    this.intervalMs = (deps.refreshSeconds ?? config.refresh_seconds) * 1000;
  }

  /** The SSH pool (shared with the hook-log service so it reuses connections). */
  get pool() {
    return this.sweeper.pool;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.refreshNow();
  }

  /** Sweep now; if a sweep is already running, wait for that one instead of starting another.
   * `credentials`: ask IAM again in this sweep (the operator pressed r, perhaps after fixing a policy). */
  refreshNow(o: { credentials?: boolean; scheduled?: boolean } = {}): Promise<void> {
    if (o.credentials) this.sweeper.recheckCredentials();
    if (this.inflight) {
      if (!o.scheduled) this.showRefreshing();
      return this.inflight;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const done = this.deps.activity?.begin('health sweep');
    this.inflight = this.sweepOnce(!!o.scheduled).finally(() => {
      this.inflight = undefined;
      done?.();
      if (this.running) {
        this.timer = setTimeout(() => void this.refreshNow({ scheduled: true }), this.intervalMs);
        this.timer.unref?.();
      }
    });
    return this.inflight;
  }

  private showRefreshing(): void {
    if (!this.cluster.getState().refreshing) this.cluster.setState({ refreshing: true });
  }

  private async sweepOnce(quiet: boolean): Promise<void> {
    let later: NodeJS.Timeout | undefined;
    if (quiet) {
      later = setTimeout(() => this.showRefreshing(), this.deps.refreshingAfterMs ?? 1000);
      later.unref?.();
    } else this.showRefreshing();
    let result: SweepResult;
    try {
      result = await this.sweeper.sweep();
    } catch (err) {
      clearTimeout(later);
      this.cluster.setState({ refreshing: false });
      this.deps.onError?.(err);
      return;
    }
    clearTimeout(later);
    this.apply(result);
  }

  private apply(r: SweepResult): void {
    const accessKey = stableKey(r.access);
    if (accessKey !== this.lastAccessKey) {
      this.lastAccessKey = accessKey;
      const before = new Set(accessLines(this.cluster.getState().access, false));
      this.cluster.setState({ access: r.access });
      // what the credentials leave out, said once when it is learnt (the header keeps a badge)
      for (const line of accessLines(r.access, false)) if (!before.has(line)) notify(this.cluster, 'warn', line);
    }
    const key = stableKey({ rows: r.rows, drift: r.drift, sourceErrors: r.sourceErrors });
    if (key === this.lastKey) {
      this.cluster.setState({ refreshedAt: r.refreshedAt, refreshing: false });
      return;
    }
    this.lastKey = key;
    this.cluster.setState({ hosts: r.rows, drift: r.drift, sourceErrors: r.sourceErrors, refreshedAt: r.refreshedAt, refreshing: false });
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // a sweep in flight may wait on a dead host or a hung API for its whole source timeout; it is
    // not waited for (quit and :reload stay prompt): closing the pool ends its SSH work at once,
    // and whatever it finds later goes to a store nobody shows any more
    void this.inflight?.catch(() => {});
    await this.sweeper.close();
  }
}
