import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureHostKey, hostKeyPath } from '../../src/sandbox/keys.js';

describe('sandbox keys', () => {
  it('makes a host key once; the public key always matches the private one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-keys-'));
    const a = ensureHostKey(dir, 'kvm-1');
    const b = ensureHostKey(dir, 'kvm-1');
    expect(b).toEqual(a);
    // OpenSSH derives the same public key from the private file
    const derived = execFileSync('ssh-keygen', ['-y', '-f', hostKeyPath(dir, 'kvm-1')], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
    expect(a.publicKey.split(' ').slice(0, 2).join(' ')).toBe(derived);
    expect(readFileSync(`${hostKeyPath(dir, 'kvm-1')}.pub`, 'utf8').trim()).toBe(a.publicKey);
  });

  it('says which file to remove when a key file is damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-keys-'));
    mkdirSync(join(dir, 'keys'), { recursive: true });
    writeFileSync(hostKeyPath(dir, 'kvm-2'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz\n', { mode: 0o600 });
    expect(() => ensureHostKey(dir, 'kvm-2')).toThrow(/kvm-2_ed25519 is unreadable.*remove it/);
  });
});

describe('sandbox key generation', () => {
  it('never hands out a key that does not parse (ssh2 sometimes generates one)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-keys-'));
    // enough keys that ssh2's occasional bad one (about 1 in 200) shows up
    for (let i = 0; i < 400; i++) expect(() => ensureHostKey(dir, `h-${i}`)).not.toThrow();
  });
});
