// Every live log (a job's output, a host's hook log) by id. Appending never touches React: the
// hub bumps `logVersions[id]` in the cluster store at most once per flush interval.
import type { ClusterStore } from '../store/cluster-store.js';
import { RingBuffer, type LogLine } from './ring-buffer.js';

/** lines in one flush interval that make the next one a flood's (~6 000 lines/s at 80 ms) */
const FLOOD_LINES = 500;

export class LogHub {
  private readonly buffers = new Map<string, RingBuffer>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: ClusterStore,
    private readonly opts: { flushMs?: number; floodFlushMs?: number; capacity?: number } = {},
  ) {}

  /** lines arrived since the last flush, in every log */
  private pending = 0;
  /** the last flush published a flood's worth of lines */
  private flooding = false;

  buffer(id: string): RingBuffer {
    let b = this.buffers.get(id);
    if (!b) {
      b = new RingBuffer(this.opts.capacity ?? 50_000);
      this.buffers.set(id, b);
    }
    return b;
  }

  /** the buffer of `id` if it has one; unlike buffer(), never makes one */
  peek(id: string): RingBuffer | undefined {
    return this.buffers.get(id);
  }

  has(id: string): boolean {
    return this.buffers.has(id);
  }

  /** Append one complete line (without its newline). */
  append(id: string, text: string, err = false, t = Date.now()): void {
    const line: LogLine = err ? { t, text, err } : { t, text };
    this.buffer(id).push(line);
    this.dirty.add(id);
    this.pending++;
    this.schedule();
  }

  /** Count `n` lines of `id` as arrived without keeping them (see RingBuffer.skip). */
  skip(id: string, n: number): void {
    if (n <= 0) return;
    this.buffer(id).skip(n);
    this.dirty.add(id);
    this.pending += n;
    this.schedule();
  }

  /** Publish pending versions now (tests, and the end of a job). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flooding = this.pending >= FLOOD_LINES;
    this.pending = 0;
    if (this.dirty.size === 0) return;
    const versions = { ...this.cluster.getState().logVersions };
    for (const id of this.dirty) versions[id] = this.buffer(id).total();
    this.dirty.clear();
    this.cluster.setState({ logVersions: versions });
  }

  /** Forget a log's lines (and its version, so a later load is seen as new). */
  drop(id: string): void {
    const had = this.buffers.delete(id);
    this.dirty.delete(id);
    const versions = this.cluster.getState().logVersions;
    if (had && id in versions) {
      const { [id]: _gone, ...rest } = versions;
      this.cluster.setState({ logVersions: rest });
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    // while lines flood in (a build log, a million-line job) nobody reads them as they pass:
    // the panes showing them are drawn 4 times a second, not 12, and their CPU goes to the job
    this.timer = setTimeout(() => this.flush(), this.flooding ? (this.opts.floodFlushMs ?? 250) : (this.opts.flushMs ?? 80));
    this.timer.unref?.();
  }
}
