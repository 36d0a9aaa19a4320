// ssh.key pointing at something that is not a private key: the message names the key and what is wrong.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SshPool } from '../../src/adapters/ssh/connection-pool.js';
import type { ResolvedSsh } from '../../src/adapters/ssh/ssh-config.js';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-sshkey-'));
const resolve = async (alias: string): Promise<ResolvedSsh> => ({ alias, hostname: '127.0.0.1', port: 9, user: 'ubuntu', identityFiles: [], knownHostsFiles: [], via: 'fallback' });

async function failure(key: string): Promise<Error> {
  const pool = new SshPool({ user: 'ubuntu', key, timeoutMs: 2000, agent: null, resolve });
  try {
    await pool.exec({ host: 'kvm-1' }, 'true');
  } catch (err) {
    return err as Error;
  } finally {
    await pool.close();
  }
  throw new Error('expected a failure');
}

describe('ssh.key', () => {
  it('a directory: says so and names the key (no bare EISDIR)', async () => {
    const d = join(dir, 'keys');
    mkdirSync(d);
    const e = await failure(d);
    expect(e.message).toBe(`ssh key ${d} (ssh.key in onedeck.yaml) is a directory, not a private key file.`);
    expect((e as { hint?: string }).hint).toContain(`${d}/id_ed25519`);
  });

  it('a file that is not a key: says so, not "Set ssh.key"', async () => {
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'hello, this is not a key\n');
    const e = await failure(f);
    expect(e.message).toMatch(new RegExp(`^ssh key ${f} \\(ssh.key in onedeck.yaml\\) is not a private key onedeck can read`));
    expect((e as { hint?: string }).hint).not.toMatch(/^Set ssh.key/);
  });
});
