// A sandbox daemon built from this checkout for one test file: built and started before its
// tests, and afterwards every runner the tests tracked, the daemon and its directory are gone.
import { buildIfStale } from './build.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { isAlive } from '../../src/jobs/proc.js';
import { ensureSandbox, processAlive, readInfo, stopSandbox } from '../../src/sandbox/config.js';

export interface SandboxFixture {
  readonly repoRoot: string;
  readonly distDir: string;
  /** the sandbox's directory (set once the file's beforeAll ran) */
  dir: string;
  /** its onedeck.yaml */
  configFile: string;
  /** a process (an operation's runner) to SIGKILL after the file's tests if it still runs */
  track(pid: number): void;
}

/** Build dist/ (when stale) and start a sandbox in a new directory named `prefix…` for this test file. */
export function useBuiltSandbox(prefix: string): SandboxFixture {
  const repoRoot = resolve(import.meta.dirname, '../..');
  const tracked: number[] = [];
  let daemonPid = 0;
  const f: SandboxFixture = { repoRoot, distDir: join(repoRoot, 'dist'), dir: '', configFile: '', track: (pid) => void tracked.push(pid) };
  beforeAll(async () => {
    buildIfStale(repoRoot);
    f.dir = mkdtempSync(join(tmpdir(), prefix));
    f.configFile = (await ensureSandbox({ dir: f.dir, repoRoot, distDir: f.distDir })).configFile;
    daemonPid = readInfo(f.dir)!.pid;
  }, 120_000);
  afterAll(async () => {
    for (const p of tracked) if (isAlive(p)) process.kill(p, 'SIGKILL');
    if (f.dir) await stopSandbox(f.dir);
    if (daemonPid && processAlive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
    if (f.dir && !process.env.ONEDECK_TEST_KEEP) rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}
