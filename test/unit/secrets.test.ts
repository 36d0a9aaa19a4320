import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { collectSecrets, readSecretFile } from '../../src/config/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-secrets-'));
const configWith = (extra: string) =>
  parseConfig(
    `cluster: prod\nscaleway:\n  zone: fr-par-2\n  project_id: 11111111-2222-3333-4444-555555555555\n  flexible_ip_token_file: token\nopennebula:\n  password_file: ${extra}\nfrontend: { name: fe }\n`,
    join(dir, 'onedeck.yaml'),
  );

describe('job secrets', () => {
  it('reads a 0600 file named in onedeck.yaml (relative to it), the variable winning', () => {
    writeFileSync(join(dir, 'token'), 'tok-123\n', { mode: 0o600 });
    writeFileSync(join(dir, 'pw'), 'pw-456\nignored second line\n', { mode: 0o600 });
    const config = configWith('pw');
    const warnings: string[] = [];
    expect(collectSecrets(config, {}, (m) => warnings.push(m))).toEqual({ SCW_FLEXIBLE_IP_TOKEN: 'tok-123', ONE_PASSWORD: 'pw-456' });
    expect(collectSecrets(config, { ONE_PASSWORD: 'from-env', AWS_ACCESS_KEY_ID: 'AK' }, (m) => warnings.push(m))).toEqual({
      SCW_FLEXIBLE_IP_TOKEN: 'tok-123',
      ONE_PASSWORD: 'from-env',
      AWS_ACCESS_KEY_ID: 'AK',
    });
    expect(warnings).toEqual([]);
  });

  it('refuses a secret file other users can read, and says how to fix it', () => {
    const f = join(dir, 'open');
    writeFileSync(f, 'x\n');
    chmodSync(f, 0o644);
    expect(() => readSecretFile(f, 'the token')).toThrow(/readable by other users \(mode 644\)/);
    const warnings: string[] = [];
    expect(collectSecrets(configWith('open'), {}, (m) => warnings.push(m)).ONE_PASSWORD).toBeUndefined();
    expect(warnings.join('\n')).toContain('chmod 600');
    // the message names the file, never its content
    expect(warnings.join('\n')).not.toContain('x\n');
  });

  it('reports a missing file without failing the others', () => {
    const warnings: string[] = [];
    const s = collectSecrets(configWith('does-not-exist'), {}, (m) => warnings.push(m));
    expect(s.SCW_FLEXIBLE_IP_TOKEN).toBe('tok-123');
    expect(warnings[0]).toMatch(/oneadmin's password file .*does-not-exist cannot be read: ENOENT/);
  });
});
