// Starts (or finds) the sandbox daemon for a directory and returns the onedeck.yaml it wrote.
// The daemon is detached (own session, stdio to daemon.log) so it outlives the TUI.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, OnedeckError } from '../errors.js';
import { controlRequest } from './control.js';
import { configPath, infoPath, logPath, pidPath, type SandboxInfo, NO_SPACE_EXIT } from './sandbox-paths.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Alive and not a zombie (PID 1 here does not reap orphans). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

export function readInfo(dir: string): SandboxInfo | null {
  try {
    return JSON.parse(readFileSync(infoPath(dir), 'utf8')) as SandboxInfo;
  } catch {
    return null;
  }
}

/** The running daemon's info when it answers its control endpoint, else null. */
export async function aliveDaemon(dir: string): Promise<SandboxInfo | null> {
  const info = readInfo(dir);
  if (!info || !processAlive(info.pid)) return null;
  try {
    const r = await controlRequest(info.controlUrl, info.token, '/status', undefined, 2000);
    return r.status === 200 ? info : null;
  } catch {
    return null;
  }
}

export async function ensureSandbox(opts: { dir: string; repoRoot: string; distDir: string; timeoutMs?: number }): Promise<{ configFile: string; dir: string }> {
  const { dir } = opts;
  if (await aliveDaemon(dir)) return { configFile: configPath(dir), dir };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // two onedeck processes starting at once must not start two daemons: one starts it, the other waits
  const lock = join(dir, 'starting.lock');
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (!takeStartLock(lock)) {
    if (await aliveDaemon(dir)) return { configFile: configPath(dir), dir };
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  try {
    if (await aliveDaemon(dir)) return { configFile: configPath(dir), dir };
    return await startDaemon(opts);
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The sandbox directory cannot be written: why, and what to do (a full disk is exit 74). */
function cannotWrite(dir: string, cause: unknown): OnedeckError {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new OnedeckError(`the sandbox daemon did not start: no space left on the device (${code}) in ${dir}.`, {
      hint: `Free space where ${dir} lives (df -h ${dir}), then start onedeck again; nothing half-written was left.`,
      exitCode: ExitCode.ioError,
      cause,
    });
  }
  return new OnedeckError(`the sandbox daemon did not start: cannot write ${dir} (${code ?? (cause as Error).message}).`, {
    hint: `Check the permissions and the file system of ${dir}, or remove it to start from a fresh sandbox.`,
    exitCode: ExitCode.unreachable,
    cause,
  });
}

/** Create the start lock, or take it over from a starter that died. */
function takeStartLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    // anything but "someone holds it" (a full disk, say) will not pass by waiting
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      rmSync(lock, { force: true }); // created, then its write failed: it is ours and empty
      throw cannotWrite(dirname(lock), err);
    }
    let holder = 0;
    try {
      holder = parseInt(readFileSync(lock, 'utf8') || '0', 10);
    } catch {
      return false; // the holder just removed it: try again
    }
    if (holder && processAlive(holder)) return false;
    rmSync(lock, { force: true });
    return false; // retried at once by the caller's loop
  }
}

async function startDaemon(opts: { dir: string; repoRoot: string; distDir: string; timeoutMs?: number }): Promise<{ configFile: string; dir: string }> {
  const { dir } = opts;
  const daemonJs = join(opts.distDir, 'sandbox', 'daemon.js');
  if (!existsSync(daemonJs)) {
    throw new OnedeckError(`the sandbox daemon ${daemonJs} is missing.`, { hint: 'Build onedeck first: npm run build.', exitCode: ExitCode.unreachable });
  }
  const fd = openSync(logPath(dir), 'a', 0o600);
  const child = spawn(process.execPath, [daemonJs, '--dir', dir, '--repo', opts.repoRoot, '--dist', opts.distDir], {
    detached: true,
    stdio: ['ignore', fd, fd],
    cwd: dir,
  });
  closeSync(fd);
  child.unref();
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code));
  const pid = child.pid ?? -1;
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    const info = readInfo(dir);
    if (info && info.pid === pid && (await aliveDaemon(dir))) return { configFile: configPath(dir), dir };
    if (exitCode !== null || !processAlive(pid)) break;
    await sleep(50);
  }
  if (processAlive(pid)) process.kill(pid, 'SIGTERM');
  await sleep(20); // let the exit event of a daemon that just ended arrive
  if (exitCode === NO_SPACE_EXIT) throw cannotWrite(dir, Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }));
  // the daemon's last words, without the stack frames that follow its error message
  const tail = existsSync(logPath(dir)) ? readFileSync(logPath(dir), 'utf8').trim().split('\n').filter((l) => !/^\s+at /.test(l)).slice(-3).join('\n') : '';
  throw new OnedeckError(`the sandbox daemon did not start.${tail ? `\n${tail}` : ''}`, {
    hint: `See ${logPath(dir)}; remove ${dir} to start from a fresh sandbox.`,
    exitCode: ExitCode.unreachable,
  });
}

/** Stop the daemon by its PID (SIGTERM, then SIGKILL after a deadline). True when one was running. */
export async function stopSandbox(dir: string, timeoutMs = 5000): Promise<boolean> {
  const pidText = existsSync(pidPath(dir)) ? readFileSync(pidPath(dir), 'utf8').trim() : String(readInfo(dir)?.pid ?? '');
  const pid = parseInt(pidText, 10);
  if (!pid || !processAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && processAlive(pid)) await sleep(25);
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

async function command(dir: string, args: string[]): Promise<{ code: number; message: string }> {
  const info = await aliveDaemon(dir);
  if (!info) return { code: 1, message: `no sandbox daemon is running for ${dir}` };
  const r = await controlRequest(info.controlUrl, info.token, '/command', args);
  return r.body as { code: number; message: string };
}

export async function resetSandbox(dir: string): Promise<{ code: number; message: string }> {
  return command(dir, ['reset']);
}

export async function sandboxCommand(dir: string, args: string[]): Promise<{ code: number; message: string }> {
  return command(dir, args);
}

export async function sandboxStatus(dir: string): Promise<{ apiUrl: string; hosts: string[]; pid: number } | null> {
  const info = await aliveDaemon(dir);
  if (!info) return null;
  return (await controlRequest(info.controlUrl, info.token, '/status')).body as { apiUrl: string; hosts: string[]; pid: number };
}
