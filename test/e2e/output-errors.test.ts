// A headless command whose output cannot be written: a reader that went away (EPIPE, as in
// `status --json | true`) ends quietly; a full disk (`> /dev/full`, ENOSPC) says so in one line
// and exits 74. Never a stack trace. Needs `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const cli = join(resolve(import.meta.dirname, '../..'), 'dist/onedeck.js');
let home: string;
let env: NodeJS.ProcessEnv;
let args: string[];

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  home = mkdtempSync(join(tmpdir(), 'onedeck-out-'));
  writeFileSync(join(home, 'onedeck.yaml'), 'cluster: out\nscaleway: { zone: fr-par-2, project_id: 11111111-2222-3333-4444-555555555555 }\nfrontend: { name: fe, ssh: { host: 127.0.0.1, port: 9 } }\n');
  env = { ...process.env, HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), SCW_ACCESS_KEY: fakeAccessKey('X'), SCW_SECRET_KEY: fakeSecretKey('2'), SCW_API_URL: 'http://127.0.0.1:9' };
  args = [cli, 'status', '--json', '--config', join(home, 'onedeck.yaml')];
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('writing the output fails', () => {
  it('status --json into a closed pipe (EPIPE): no stack trace, the exit code of the status itself', async () => {
    const normal = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
    expect(normal.stdout).toContain('"rows"');
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader goes away before onedeck writes
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(stderr).toBe('');
    expect(code).toBe(normal.status);
  }, 90_000);

  it('status --json > /dev/full (ENOSPC): one line saying so, exit 74', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('onedeck: cannot write the output: no space left on the device (ENOSPC).\n');
      expect(r.status).toBe(74);
    } finally {
      closeSync(full);
    }
  }, 90_000);

  it('--help | true and --help > /dev/full behave the same', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [cli, '--help'], { env, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.status).toBe(74);
    } finally {
      closeSync(full);
    }
  });
});
