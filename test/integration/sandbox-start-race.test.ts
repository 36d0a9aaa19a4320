// Two onedeck processes opening the sandbox at the same moment share one daemon.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, processAlive, readInfo, stopSandbox } from '../../src/sandbox/config.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const distDir = join(repoRoot, 'dist');
const dir = mkdtempSync(join(tmpdir(), 'onedeck-sandbox-race-'));

beforeAll(() => {
  if (!existsSync(join(distDir, 'sandbox', 'daemon.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
});

afterAll(async () => {
  await stopSandbox(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('starting the sandbox', () => {
  it('starts one daemon when two callers ask at once, and both get its config', async () => {
    const [a, b] = await Promise.all([ensureSandbox({ dir, repoRoot, distDir }), ensureSandbox({ dir, repoRoot, distDir })]);
    expect(a.configFile).toBe(b.configFile);
    const info = readInfo(dir)!;
    expect(processAlive(info.pid)).toBe(true);
    // no second daemon: only one process runs daemon.js for this directory
    const daemons = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('daemon.js') && l.includes(dir));
    expect(daemons).toHaveLength(1);
    expect(existsSync(join(dir, 'starting.lock'))).toBe(false);
  });
});
