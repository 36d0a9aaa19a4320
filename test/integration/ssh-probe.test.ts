// The SSH side against a REAL OpenSSH sshd on loopback (test/harness/sshd.ts): the probe script,
// kept-open connections, refused / auth / host-key / timeout failures, a jump host, ssh -G.
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshPool, type SshPoolOptions } from '../../src/adapters/ssh/connection-pool.js';
import { resolveSsh } from '../../src/adapters/ssh/ssh-config.js';
import { readOpenNebula } from '../../src/adapters/opennebula/client.js';
import { probeHost } from '../../src/health/probe.js';
import { freePort, startSshd, type TestSshd } from '../harness/sshd.js';
import { waitFor } from '../harness/wait.js';

let a: TestSshd;
let b: TestSshd;
let tmp: string;
let emptyConfig: string;
const pools: SshPool[] = [];

function pool(over: Partial<SshPoolOptions> = {}): SshPool {
  const p = new SshPool({ user: 'root', key: a.clientKey, knownHosts: a.knownHosts, configFile: emptyConfig, timeoutMs: 4000, agent: null, ...over });
  pools.push(p);
  return p;
}
const accepted = (d: TestSshd) => (readFileSync(join(d.dir, 'sshd.log'), 'utf8').match(/Accepted publickey/g) ?? []).length;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'onedeck-sshprobe-'));
  emptyConfig = join(tmp, 'empty_ssh_config');
  writeFileSync(emptyConfig, '');
  a = await startSshd({ host: '127.0.0.1' });
  // the second host accepts the same client key (copied in before it starts)
  const bdir = join(tmp, 'sshd-b');
  mkdirSync(bdir, { mode: 0o700 });
  copyFileSync(a.clientKey, join(bdir, 'client_ed25519'));
  copyFileSync(`${a.clientKey}.pub`, join(bdir, 'client_ed25519.pub'));
  b = await startSshd({ host: '127.0.0.2', dir: bdir });
});

afterAll(async () => {
  for (const p of pools) await p.close();
  a?.stop();
  b?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('probe against a real sshd', () => {
  it('runs the real probe script in one command and parses it, measuring the round trip', async () => {
    const hooks = join(tmp, 'bridge');
    mkdirSync(join(hooks, 'pre.d'), { recursive: true });
    mkdirSync(join(hooks, 'clean.d'), { recursive: true });
    writeFileSync(join(hooks, 'pre.d', '01-scw-flexip-attach.sh'), 'attach v2\n');
    writeFileSync(join(hooks, 'clean.d', '01-scw-flexip-detach.sh'), 'detach v1\n');
    writeFileSync(join(hooks, 'pre.d', '99-other.sh'), 'not ours\n');
    const logs = join(tmp, 'vnm');
    mkdirSync(logs);
    const ts = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');
    writeFileSync(
      join(logs, 'scw-flexip-attach.log'),
      [`${ts(48 * 3600_000)} scw-flexip-attach[1] ERROR: too old`, `${ts(3600_000)} scw-flexip-attach[2] ERROR: fip not found`, `${ts(60_000)} scw-flexip-attach[3] INFO: attached`].join('\n') + '\n',
    );
    writeFileSync(join(logs, 'scw-flexip-detach.log'), `${ts(30_000)} scw-flexip-detach[4] ERROR: detach failed (HTTP 500)\n`);
    const sha = (s: string) => execFileSync('sha256sum', { input: s }).toString().split(' ')[0];
    const repoHooks = {
      'pre.d/01-scw-flexip-attach.sh': sha('attach v1\n'),
      'clean.d/01-scw-flexip-detach.sh': sha('detach v1\n'),
      'scw-flexip/lib.sh': sha('lib\n'),
    };
    const p = pool();
    const v = await probeHost(p, { host: a.host, port: a.port }, { repoHooks, paths: { hookDirs: ['/nonexistent', hooks], hookLogGlob: `${logs}/scw-flexip-*.log` } });
    expect(v.reachable).toBe(true);
    expect(v.error).toBeUndefined();
    expect(v.rttMs).toBeGreaterThanOrEqual(0);
    expect(v.rttMs).toBeLessThan(3000);
    expect(typeof v.load1).toBe('number');
    expect(v.memUsedPct).toBeGreaterThan(0);
    expect(v.diskUsedPct).toBeGreaterThan(0);
    expect(['active', 'inactive', 'failed', 'unknown']).toContain(v.libvirtdState);
    expect(typeof v.kvm).toBe('boolean');
    // become: the probe ran as root (root, or a user who may sudo -n), as this machine says
    const root = execFileSync('sh', ['-c', 'if [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then echo yes; else echo no; fi']).toString().trim() === 'yes';
    expect(v.become).toBe(root);
    expect(v.hooks).toMatchObject({ dir: hooks, preOk: false, cleanOk: false, missing: ['scw-flexip/lib.sh'], different: ['pre.d/01-scw-flexip-attach.sh'] });
    expect(v.hookErrors24h).toBe(2);
    expect(v.lastHookErrors).toEqual([expect.stringMatching(/ERROR: fip not found$/), expect.stringMatching(/ERROR: detach failed \(HTTP 500\)$/)]);
  });

  it('keeps the connection open between sweeps', async () => {
    const p = pool();
    const before = accepted(a);
    for (let i = 0; i < 3; i++) expect((await probeHost(p, { host: a.host, port: a.port }, { repoHooks: {} })).reachable).toBe(true);
    expect(accepted(a) - before).toBe(1);
  });

  it('reads OpenNebula over the same connection (a stand-in onehost/onevm on PATH)', async () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    const fx = (n: string) => new URL(`../fixtures/opennebula/${n}`, import.meta.url).pathname;
    writeFileSync(join(bin, 'onehost'), `#!/bin/sh\ncat ${fx('onehost-list-one.json')}\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'onevm'), `#!/bin/sh\ncat ${fx('onevm-list-empty.json')}\n`, { mode: 0o755 });
    const p = pool();
    const exec = async (cmd: string) => {
      const r = await p.exec({ host: a.host, port: a.port }, cmd);
      return { stdout: r.stdout, stderr: r.stderr, code: r.code };
    };
    const d = await readOpenNebula(exec, { commandPrefix: `env PATH=${bin}:/usr/bin:/bin`, staleAfterSeconds: 300 });
    expect(d.hosts.map((h) => h.name)).toEqual(['10.16.0.2']);
    expect(d.vms).toEqual([]);
    await expect(readOpenNebula(exec, { commandPrefix: 'env PATH=/nonexistent', staleAfterSeconds: 300 })).rejects.toThrow(/command not found/);
  });
});

describe('streaming (hook-log view)', () => {
  it('follows a log with tail -F over a pty and stops when aborted', async () => {
    const log = join(tmp, 'follow.log');
    writeFileSync(log, 'first\n');
    const lines: string[] = [];
    const ac = new AbortController();
    const done = pool().stream({ host: a.host, port: a.port }, `exec tail -n 200 -F ${log}`, (l) => lines.push(l), ac.signal);
    const until = (cond: () => boolean) => waitFor(cond, 'the followed line', { timeoutMs: 5000, seen: () => JSON.stringify(lines) });
    await until(() => lines.includes('first'));
    // append, as a hook does (rewriting the file would make tail report a truncation)
    appendFileSync(log, 'second ERROR x\n');
    await until(() => lines.includes('second ERROR x'));
    ac.abort();
    await done;
    expect(lines.slice(0, 2)).toEqual(['first', 'second ERROR x']);
  });
});

describe('SSH failures are messages, never hangs', () => {
  it('a kept-open connection that dies later (reset by the peer) is forgotten, never an uncaught error', async () => {
    // a TCP relay in front of sshd, so the established connection can be reset from the server side
    const relayed: Socket[] = [];
    const relay: Server = createServer((client) => {
      const upstream = connect(a.port, a.host);
      relayed.push(client, upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as { port: number }).port;
    const kh = join(tmp, 'known_hosts_relay');
    writeFileSync(kh, readFileSync(a.knownHosts, 'utf8').replace(`[${a.host}]:${a.port}`, `[127.0.0.1]:${port}`));
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.prependListener('uncaughtException', onUncaught);
    try {
      const p = pool({ knownHosts: kh });
      const ep = { host: '127.0.0.1', port };
      expect((await probeHost(p, ep, { repoHooks: {} })).reachable).toBe(true);
      const closed = new Promise<void>((r) => (p as unknown as { entries: Map<string, { ssh?: { connection?: { once(e: string, f: () => void): void } } }> }).entries.get(`127.0.0.1:${port}`)!.ssh!.connection!.once('close', () => r()));
      // the server side answers RST: the client socket gets ECONNRESET
      for (const s of relayed) if (s.remotePort !== a.port) s.resetAndDestroy();
      await closed;
      await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
      // the next probe reconnects
      expect((await probeHost(p, ep, { repoHooks: {} })).reachable).toBe(true);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const s of relayed) s.destroy();
      relay.close();
    }
  });

  it('connection refused', async () => {
    const port = await freePort();
    const v = await probeHost(pool(), { host: '127.0.0.1', port }, { repoHooks: {} });
    expect(v).toMatchObject({ reachable: false });
    expect(v.error).toBe('connection refused.');
  });

  it('authentication failure (wrong key)', async () => {
    const wrong = join(tmp, 'wrong_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
    const v = await probeHost(pool({ key: wrong }), { host: a.host, port: a.port }, { repoHooks: {} });
    expect(v.reachable).toBe(false);
    expect(v.error).toMatch(/^authentication failed \(tried key .*wrong_key\)/);
  });

  it('host key mismatch is an ALARM and refused', async () => {
    const other = join(tmp, 'other_hostkey');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const kh = join(tmp, 'known_hosts_changed');
    writeFileSync(kh, `[${a.host}]:${a.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    const before = accepted(a);
    const v = await probeHost(pool({ knownHosts: kh }), { host: a.host, port: a.port }, { repoHooks: {} });
    expect(v.reachable).toBe(false);
    expect(v.hostKeyAlarm).toBe(true);
    expect(v.error).toMatch(/^ALARM: the host key for \[127\.0\.0\.1\]:\d+ has CHANGED .*possible man-in-the-middle/);
    expect(accepted(a)).toBe(before); // never authenticated to it
  });

  it('an unknown host key is refused with how to add it', async () => {
    const kh = join(tmp, 'known_hosts_empty');
    writeFileSync(kh, '');
    const v = await probeHost(pool({ knownHosts: kh }), { host: a.host, port: a.port }, { repoHooks: {} });
    expect(v.error).toMatch(/^unknown host key for \[127\.0\.0\.1\]:\d+/);
    expect(v.hostKeyAlarm).toBeUndefined();
  });

  it('timeout: a listener that never speaks SSH; it does not delay a live host', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const p = pool({ timeoutMs: 1500 });
      const order: string[] = [];
      const [dead, live] = await Promise.all([
        probeHost(p, { host: '127.0.0.1', port }, { repoHooks: {} }).then((v) => (order.push('dead'), v)),
        probeHost(p, { host: a.host, port: a.port }, { repoHooks: {} }).then((v) => (order.push('live'), v)),
      ]);
      expect(dead.reachable).toBe(false);
      expect(dead.error).toMatch(/^timeout after 1\.5s/);
      expect(live.reachable).toBe(true);
      // the live host answered before the dead one timed out
      expect(order).toEqual(['live', 'dead']);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe('reaching hosts', () => {
  it('through a jump host (a second sshd reached via the first)', async () => {
    const kh = join(tmp, 'known_hosts_both');
    writeFileSync(kh, readFileSync(a.knownHosts, 'utf8') + readFileSync(b.knownHosts, 'utf8'));
    const beforeA = accepted(a);
    const beforeB = accepted(b);
    const p = pool({ knownHosts: kh });
    const v = await probeHost(p, { host: b.host, port: b.port, via: { host: a.host, port: a.port } }, { repoHooks: {} });
    expect(v.reachable).toBe(true);
    expect(accepted(a) - beforeA).toBe(1);
    expect(accepted(b) - beforeB).toBe(1);
    expect(readFileSync(join(b.dir, 'sshd.log'), 'utf8')).toMatch(/Connection from 127\.0\.0\.1/);
  });

  it('resolves an ssh_config alias with ssh -G: HostName, Port, User, IdentityFile, UserKnownHostsFile', async () => {
    const cfg = join(tmp, 'ssh_config');
    writeFileSync(
      cfg,
      [`Host kvm-alias`, `  HostName ${b.host}`, `  Port ${b.port}`, `  IdentityFile ${a.clientKey}`, `  UserKnownHostsFile ${b.knownHosts}`, `Host other-user`, `  User operator`, ''].join('\n'),
    );
    const r = await resolveSsh('kvm-alias', { configFile: cfg, defaultUser: 'root' });
    expect(r).toMatchObject({ hostname: '127.0.0.2', port: b.port, user: 'root', via: 'ssh -G' });
    // a User set in ssh_config wins over onedeck's ssh.user
    expect((await resolveSsh('other-user', { configFile: cfg, defaultUser: 'ubuntu' })).user).toBe('operator');
    expect((await resolveSsh('no-user', { configFile: cfg, defaultUser: 'ubuntu' })).user).toBe('ubuntu');
    expect(r.identityFiles).toEqual([a.clientKey]);
    expect(r.knownHostsFiles[0]).toBe(b.knownHosts);
    // the pool uses it all: no key, no known_hosts given to onedeck itself
    const p = pool({ key: undefined, knownHosts: undefined, configFile: cfg });
    const v = await probeHost(p, { host: 'kvm-alias' }, { repoHooks: {} });
    expect(v.reachable).toBe(true);
  });

  it('looks a HostKeyAlias up as OpenSSH does: the alias alone, without [ ]:port', async () => {
    const key = readFileSync(a.knownHosts, 'utf8').trim().split(/\s+/).slice(1, 3).join(' ');
    const kh = join(tmp, 'known_hosts_alias');
    const cfg = join(tmp, 'ssh_config_alias');
    writeFileSync(cfg, [`Host aliased`, `  HostName ${a.host}`, `  Port ${a.port}`, `  HostKeyAlias fe-alias`, ''].join('\n'));
    // the entry `ssh -o HostKeyAlias=fe-alias` writes and accepts
    writeFileSync(kh, `fe-alias ${key}\n`);
    const ok = await probeHost(pool({ knownHosts: kh, configFile: cfg }), { host: 'aliased' }, { repoHooks: {} });
    expect(ok.error).toBeUndefined();
    expect(ok.reachable).toBe(true);
    // OpenSSH does not look up [fe-alias]:port: such an entry leaves the key unknown
    writeFileSync(kh, `[fe-alias]:${a.port} ${key}\n`);
    const unknown = await probeHost(pool({ knownHosts: kh, configFile: cfg }), { host: 'aliased' }, { repoHooks: {} });
    expect(unknown.reachable).toBe(false);
    expect(unknown.error).toMatch(/^unknown host key for fe-alias /);
  });

  it('tries every IdentityFile ssh_config lists, as ssh does, not only the first', async () => {
    const other = join(tmp, 'id_other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const cfg = join(tmp, 'ssh_config_two_keys');
    writeFileSync(cfg, [`Host two-keys`, `  HostName ${a.host}`, `  Port ${a.port}`, `  IdentityFile ${other}`, `  IdentityFile ${a.clientKey}`, ''].join('\n'));
    const v = await probeHost(pool({ key: undefined, configFile: cfg }), { host: 'two-keys' }, { repoHooks: {} });
    expect(v.error).toBeUndefined();
    expect(v.reachable).toBe(true);
  });

  it('prefers the host key type known_hosts has, as ssh does (a host known only by its ECDSA key)', async () => {
    const dir = join(tmp, 'sshd-ecdsa');
    mkdirSync(dir, { mode: 0o700 });
    copyFileSync(a.clientKey, join(dir, 'client_ed25519'));
    copyFileSync(`${a.clientKey}.pub`, join(dir, 'client_ed25519.pub'));
    const ecdsa = join(dir, 'ssh_host_ecdsa_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', ecdsa]);
    const c = await startSshd({ host: '127.0.0.3', dir, extraConfig: `HostKey ${ecdsa}` });
    try {
      const kh = join(tmp, 'known_hosts_ecdsa_only');
      writeFileSync(kh, `[${c.host}]:${c.port} ${readFileSync(`${ecdsa}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
      // OpenSSH connects: it asks for the key type it already knows
      execFileSync('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${kh}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-i', a.clientKey, '-p', String(c.port), `root@${c.host}`, 'true']);
      const v = await probeHost(pool({ knownHosts: kh }), { host: c.host, port: c.port }, { repoHooks: {} });
      expect(v.error).toBeUndefined();
      expect(v.reachable).toBe(true);
    } finally {
      c.stop();
    }
  });

  it('honours ProxyJump from ssh_config', async () => {
    const kh = join(tmp, 'known_hosts_pj');
    writeFileSync(kh, readFileSync(a.knownHosts, 'utf8') + readFileSync(b.knownHosts, 'utf8'));
    const cfg = join(tmp, 'ssh_config_pj');
    writeFileSync(cfg, [`Host bastion`, `  HostName ${a.host}`, `  Port ${a.port}`, `Host inner`, `  HostName ${b.host}`, `  Port ${b.port}`, `  ProxyJump bastion`, ''].join('\n'));
    const beforeA = accepted(a);
    const v = await probeHost(pool({ knownHosts: kh, configFile: cfg }), { host: 'inner' }, { repoHooks: {} });
    expect(v.reachable).toBe(true);
    expect(accepted(a) - beforeA).toBe(1);
  });
});
