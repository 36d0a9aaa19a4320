import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sshPublicKeyFile } from '../../src/jobs/job-service.js';
import { describeError } from '../../src/errors.js';

describe('the SSH public key installed on the servers', () => {
  it("is ssh.key's .pub when ssh.key is set, and says how to make it when missing", () => {
    const home = mkdtempSync(join(tmpdir(), 'onedeck-pub-'));
    const key = join(home, 'deploy_key');
    let err: unknown;
    try {
      sshPublicKeyFile({ ssh: { key } } as never, home);
    } catch (e) {
      err = e;
    }
    expect(describeError(err)).toBe(`no SSH public key for the servers: ${key}.pub does not exist\nCreate it with: ssh-keygen -y -f ${key} > ${key}.pub`);
    writeFileSync(`${key}.pub`, 'ssh-ed25519 AAAA test\n');
    expect(sshPublicKeyFile({ ssh: { key } } as never, home)).toBe(`${key}.pub`);
  });

  it('falls back to ~/.ssh/id_ed25519.pub, then the others, when ssh.key is not set', () => {
    const home = mkdtempSync(join(tmpdir(), 'onedeck-pub-'));
    expect(() => sshPublicKeyFile({ ssh: {} } as never, home)).toThrow(/id_ed25519.pub, .*id_rsa.pub do not exist/);
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_rsa.pub'), 'ssh-rsa AAAA test\n');
    expect(sshPublicKeyFile({ ssh: {} } as never, home)).toBe(join(home, '.ssh', 'id_rsa.pub'));
    writeFileSync(join(home, '.ssh', 'id_ed25519.pub'), 'ssh-ed25519 AAAA test\n');
    expect(sshPublicKeyFile({ ssh: {} } as never, home)).toBe(join(home, '.ssh', 'id_ed25519.pub'));
  });
});
