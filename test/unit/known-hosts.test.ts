import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, hostFieldMatches, knownHostsName, parseKnownHosts } from '../../src/adapters/ssh/known-hosts.js';
import { parseJumpSpec, parseSshG } from '../../src/adapters/ssh/ssh-config.js';

// an ssh-ed25519 blob: string "ssh-ed25519" + 32-byte key
const blob = (fill: number) => {
  const t = Buffer.from('ssh-ed25519');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  const klen = Buffer.alloc(4);
  klen.writeUInt32BE(32);
  return Buffer.concat([len, t, klen, Buffer.alloc(32, fill)]);
};
const K1 = blob(1);
const K2 = blob(2);

describe('known_hosts', () => {
  it('matches plain, [host]:port, wildcard, negated and hashed entries', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(hostFieldMatches('a.example,10.0.0.1', '10.0.0.1')).toBe(true);
    expect(hostFieldMatches('*.example,!bad.example', 'bad.example')).toBe(false);
    expect(hostFieldMatches('*.example', 'kvm.example')).toBe(true);
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[127.0.0.1]:2222').digest('base64');
    expect(hostFieldMatches(`|1|${salt.toString('base64')}|${hash}`, '[127.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches(`|1|${salt.toString('base64')}|${hash}`, '127.0.0.1')).toBe(false);
  });

  it('ok, unknown, mismatch (ALARM material) and revoked', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        `[10.0.0.1]:2222 ssh-ed25519 ${K1.toString('base64')}`,
        `10.0.0.2 ssh-ed25519 ${K1.toString('base64')}`,
        `@revoked * ssh-ed25519 ${K2.toString('base64')}`,
        'garbage',
      ].join('\n'),
    );
    expect(entries).toHaveLength(3);
    expect(checkHostKey(entries, ['[10.0.0.1]:2222'], K1)).toEqual({ kind: 'ok' });
    expect(checkHostKey(entries, ['10.0.0.9'], K1)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(entries, ['10.0.0.2'], blob(3))).toMatchObject({ kind: 'mismatch', expected: [expect.stringMatching(/^SHA256:/)] });
    expect(checkHostKey(entries, ['10.0.0.2'], K2)).toMatchObject({ kind: 'revoked' });
  });
});

describe('ssh -G output and ProxyJump specs', () => {
  it('parses repeated keys', () => {
    const g = parseSshG('hostname 10.0.0.1\nport 22\nidentityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/id_ed25519\n');
    expect(g.get('identityfile')).toEqual(['~/.ssh/id_rsa', '~/.ssh/id_ed25519']);
  });
  it('splits user@host:port', () => {
    expect(parseJumpSpec('ubuntu@51.15.0.1:2222')).toEqual({ user: 'ubuntu', host: '51.15.0.1', port: 2222 });
    expect(parseJumpSpec('bastion')).toEqual({ user: undefined, host: 'bastion', port: undefined });
  });
});
