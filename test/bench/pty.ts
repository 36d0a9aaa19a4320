// onedeck in a pseudo-terminal, as a user has it: keys written to its stdin, every byte it writes
// recorded with the time it arrived. The pty is pty-relay.py (Python's pty module).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Chunk {
  at: number;
  data: string;
}

export interface PtyRun {
  /** pid of the command itself (not the relay) */
  pid: Promise<number>;
  startedAt: number;
  /** when the relay forked the command (performance.now() clock): a shell's start of it */
  forkedAt: Promise<number>;
  chunks: Chunk[];
  /** everything written so far */
  output(): string;
  /** output since chunk index `from` */
  since(from: number): string;
  write(keys: string): number;
  /** resolves with the time of the first chunk (from index `from`) after which `pred` holds */
  waitFor(pred: (text: string) => boolean, opts?: { from?: number; timeoutMs?: number; what?: string }): Promise<number>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

export function startPty(argv: string[], opts: { cols: number; rows: number; env: NodeJS.ProcessEnv; cwd: string }): PtyRun {
  const relay = join(import.meta.dirname, 'pty-relay.py');
  const startedAt = performance.now();
  const child: ChildProcess = spawn('python3', [relay, String(opts.cols), String(opts.rows), '--', ...argv], {
    env: { ...opts.env, TERM: 'xterm-256color' },
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Chunk[] = [];
  let waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    chunks.push({ at: performance.now(), data: d });
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  let err = '';
  let forked = (_t: number) => {};
  const forkedAt = new Promise<number>((r) => (forked = r));
  const pid = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /PID (\d+) FORK ([\d.]+)/.exec(err);
      if (m) {
        forked(Number(m[2]) * 1000 - performance.timeOrigin);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => reject(new Error(`pty relay exited: ${err}`)));
  });
  pid.catch(() => {});
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const since = (from: number) => chunks.slice(from).map((c) => c.data).join('');
  return {
    pid,
    startedAt,
    forkedAt,
    chunks,
    output: () => since(0),
    since,
    write: (keys) => {
      const at = performance.now();
      child.stdin!.write(keys);
      return at;
    },
    waitFor: (pred, o = {}) =>
      new Promise<number>((resolve, reject) => {
        const from = o.from ?? 0;
        const timer = setTimeout(() => {
          waiters = waiters.filter((f) => f !== check);
          reject(new Error(`timed out after ${o.timeoutMs ?? 30_000} ms waiting for ${o.what ?? 'output'}`));
        }, o.timeoutMs ?? 30_000);
        // the text is re-joined incrementally: chunks from `from` on
        let text = '';
        let seen = from;
        const check = () => {
          while (seen < chunks.length) {
            text += chunks[seen].data;
            seen++;
            if (pred(text)) {
              clearTimeout(timer);
              return resolve(chunks[seen - 1].at);
            }
          }
          waiters.push(check);
        };
        check();
      }),
    exited,
    kill: (signal = 'SIGTERM') => {
      void pid.then((p) => {
        try {
          process.kill(p, signal);
        } catch {
          // already gone
        }
      });
      child.stdin!.end();
    },
  };
}
