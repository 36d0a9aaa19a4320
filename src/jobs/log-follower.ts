// Follows a job's output.log into the LogHub (id `job:<id>`): the last lines of what is already
// there, then every new complete line (fs.watch, with a periodic stat as a fallback).
import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import type { LogHub } from '../logs/log-hub.js';
import type { LogSource } from '../logs/log-registry.js';
import { FILES, jobDir } from './job-store.js';



/** Bytes read back from the end of an existing log at start (enough for ~5000 lines). */
const TAIL_BYTES = 2 * 1024 * 1024;
const CHUNK = 256 * 1024;
/** A backlog larger than this (a flood: more than the pane can show before the next read) is
 *  counted, not read into lines: only its last FLOOD_TAIL_BYTES become lines (~5000 lines); the
 *  rest stays on disk, shown as "older on disk". A flood of a million lines then makes strings
 *  of a few percent of them, not all (the UI's memory stays near its idle size). */
const FLOOD_TAIL_BYTES = 512 * 1024;
const SKIP_BYTES = 2 * FLOOD_TAIL_BYTES;
/** The watcher's changes are read at most this often (a flood writes many times a second; the
 *  hub publishes every 80 ms). */
const WATCH_READ_MS = 100;

export class LogFollower {
  private offset = 0;
  private carry = '';
  private buf: Buffer | undefined;
  // a multi-byte character cut by a read boundary is completed by the next read
  private decoder = new StringDecoder('utf8');
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly hub: LogHub,
    readonly logId: string,
    private readonly opts: { initialLines?: number; pollMs?: number } = {},
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.loadTail();
    this.armWatch();
    this.timer = setInterval(() => this.poll(), this.opts.pollMs ?? 500);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.poll();
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.started = false;
  }

  /** Read what was appended since the last read (also called by the watcher and the timer). */
  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        // truncated or replaced: start over
        this.offset = 0;
        this.carry = '';
        this.decoder = new StringDecoder('utf8');
      }
      // one read buffer per follower, reused: a flood reads 10 times a second
      const buf = (this.buf ??= Buffer.allocUnsafe(CHUNK));
      if (size - this.offset > SKIP_BYTES) this.skipBacklog(fd, buf, size - FLOOD_TAIL_BYTES);
      while (this.offset < size) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, size - this.offset), this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.push(this.decoder.write(buf.subarray(0, n)));
      }
    } finally {
      closeSync(fd);
    }
    if (!this.watcher && this.started) this.armWatch();
  }

  /** Count the lines in [offset, until) without making strings of them; resume after the last. */
  private skipBacklog(fd: number, buf: Buffer, until: number): void {
    let lines = 0;
    let lastEnd = -1; // file offset just past the last newline seen
    let at = this.offset;
    while (at < until) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, until - at), at);
      if (n <= 0) break;
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) {
        lines++;
        lastEnd = at + i + 1;
      }
      at += n;
    }
    if (lines === 0) return; // one huge line: read it as usual
    this.hub.skip(this.logId, lines);
    this.offset = lastEnd;
    this.carry = '';
    this.decoder = new StringDecoder('utf8');
  }

  private push(text: string): void {
    const parts = (this.carry + text).split('\n');
    this.carry = parts.pop() ?? '';
    for (const p of parts) this.hub.append(this.logId, p.endsWith('\r') ? p.slice(0, -1) : p);
  }

  private loadTail(): void {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return;
    }
    const want = this.opts.initialLines ?? 5000;
    const from = Math.max(0, size - TAIL_BYTES);
    const fd = openSync(this.file, 'r');
    let text: string;
    try {
      const buf = Buffer.alloc(size - from);
      readSync(fd, buf, 0, buf.length, from);
      text = buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
    const lines = text.split('\n');
    this.carry = lines.pop() ?? '';
    if (from > 0) lines.shift(); // partial first line
    for (const l of lines.slice(-want)) this.hub.append(this.logId, l);
    this.offset = size;
  }

  private armWatch(): void {
    try {
      this.watcher = watch(this.file, { persistent: false }, () => {
        if (this.pending) return;
        this.pending = setTimeout(() => {
          this.pending = undefined;
          if (this.started) this.poll();
        }, WATCH_READ_MS);
        this.pending.unref?.();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined; // file not there yet: the timer keeps polling
    }
  }
}

/** The log registry's source of job logs: a follower of the job's output.log under `jobsDir`. */
export function jobLogSource(jobsDir: string, hub: LogHub): LogSource<'job'> {
  return (id, ref) => {
    const f = new LogFollower(join(jobDir(jobsDir, ref.jobId), FILES.log), hub, id);
    f.start();
    return f;
  };
}
