// A short command run to its end with its output gathered (the runner's post steps, `ssh -O
// exit`). Plain node:child_process: the runner loads no process library, so it starts at once.
import { spawn } from 'node:child_process';

export interface Captured {
  /** null when killed by a signal, or when it could not be started (then `error` says why) */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export function capture(command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Captured> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let error: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', (e) => {
      error = e.message;
    });
    if (opts.timeoutMs) {
      timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
      timer.unref();
    }
    child.once('close', (code) => {
      clearTimeout(timer);
      const text = (b: Buffer[]) => Buffer.concat(b).toString('utf8').replace(/\r?\n$/, '');
      resolve({ exitCode: error ? null : code, stdout: text(out), stderr: text(err), ...(error ? { error } : {}) });
    });
  });
}
