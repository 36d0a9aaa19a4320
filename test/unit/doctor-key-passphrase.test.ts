// doctor's SSH agent check: an agent is only needed for a key with a passphrase, so a key without
// one and no agent is OK, while a protected key and no agent is a WARN with the fix.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSsh, keyHasPassphrase } from '../../src/doctor/tool-checks.js';
import type { Config } from '../../src/config/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = (name: string, args: string[]) => {
  const f = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-f', f, ...args], { stdio: 'ignore' });
  return f;
};

describe('a private key and its passphrase', () => {
  const plain = key('plain', ['-t', 'ed25519', '-N', '']);
  const locked = key('locked', ['-t', 'ed25519', '-N', 'a passphrase']);
  const pem = key('pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '']);
  const pemLocked = key('pem-locked', ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'a passphrase']);

  it('is told from the file, in the OpenSSH and the PEM formats', () => {
    expect(keyHasPassphrase(readFileSync(plain, 'utf8'))).toBe(false);
    expect(keyHasPassphrase(readFileSync(locked, 'utf8'))).toBe(true);
    expect(keyHasPassphrase(readFileSync(pem, 'utf8'))).toBe(false);
    expect(keyHasPassphrase(readFileSync(pemLocked, 'utf8'))).toBe(true);
    expect(keyHasPassphrase('not a key')).toBeUndefined();
  });

  it('no agent is OK for a key without a passphrase, a WARN with the fix for one with', () => {
    const config = (k: string) => ({ ssh: { key: k } }) as unknown as Config;
    const agent = (k: string) => checkSsh(config(k), { env: {} }).find((c) => c.id === 'ssh-agent')!;
    expect(agent(plain)).toMatchObject({ state: 'ok', detail: expect.stringContaining('no passphrase') });
    expect(agent(locked)).toMatchObject({ state: 'warn', fix: expect.stringContaining('ssh-add') });
  });
});
