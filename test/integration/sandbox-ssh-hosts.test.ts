// The simulated hosts over real SSH (ssh2 Server on 127.0.0.x), reached with node-ssh and a
// host-key check against the sandbox's known_hosts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NodeSSH } from 'node-ssh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_SCRIPT, probeCommand } from '../../src/adapters/ssh/probe-script.js';
import { parseProbeOutput } from '../../src/adapters/ssh/probe-parse.js';
import { hookLogCommand } from '../../src/health/hook-log.js';
import { knownHostsPath, writeKnownHosts } from '../../src/sandbox/client-files.js';
import { hostCommand } from '../../src/sandbox/control-commands.js';
import { controlRequest, startControl } from '../../src/sandbox/control.js';
import { hookHashes } from '../../src/sandbox/hook-hashes.js';
import { clientKeyPath } from '../../src/sandbox/keys.js';
import { startSshHosts, type SshHosts } from '../../src/sandbox/ssh-hosts/server.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';
import { waitFor as waitUntil } from '../harness/wait.js';

const repoRoot = resolve(__dirname, '../..');
let dir: string;
let store: SandboxStateStore;
let hosts: SshHosts;
let control: { url: string; close(): Promise<void> };
const open: NodeSSH[] = [];

function knownKey(address: string, port: number): Buffer {
  const line = readFileSync(knownHostsPath(dir), 'utf8').split('\n').find((l) => l.startsWith(`[${address}]:${port} `))!;
  return Buffer.from(line.split(' ')[2], 'base64');
}

async function connect(name: string): Promise<NodeSSH> {
  const h = store.get().simHosts.find((x) => x.name === name)!;
  const expected = knownKey(h.address, h.port);
  const ssh = new NodeSSH();
  open.push(ssh);
  await ssh.connect({
    host: h.address,
    port: h.port,
    username: 'root',
    privateKeyPath: clientKeyPath(dir),
    hostVerifier: (key: Buffer) => key.equals(expected),
    readyTimeout: 3000,
  } as Parameters<NodeSSH['connect']>[0]);
  return ssh;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-ssh-'));
  store = new SandboxStateStore(dir, createDefaultState({ repoRoot }));
  hosts = await startSshHosts({ store, dir });
  writeKnownHosts(dir, store.get());
  control = await startControl({
    token: 't0k',
    handlers: {
      status: () => ({}),
      async command(args) {
        const r = hostCommand(store, args.slice(1));
        await hosts.reconcile();
        return r;
      },
    },
  });
});

afterAll(async () => {
  for (const s of open) s.dispose();
  await control.close();
  await hosts.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('simulated hosts over SSH', () => {
  it('listen on distinct 127.0.0.x addresses', () => {
    const addrs = store.get().simHosts.map((h) => h.address);
    expect(addrs).toEqual(['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14']);
    expect(store.get().simHosts.every((h) => h.port > 0)).toBe(true);
  });

  it('answer onehost list -j in OpenNebula 7.0 form through sudo', async () => {
    const ssh = await connect('fe');
    const r = await ssh.execCommand('sudo -n -u oneadmin onehost list -j');
    expect(r.code).toBe(0);
    const pool = JSON.parse(r.stdout) as { HOST_POOL: { HOST: Record<string, unknown>[] } };
    expect(pool.HOST_POOL.HOST).toHaveLength(4);
    const kvm2 = pool.HOST_POOL.HOST.find((h) => h.NAME === '10.16.0.4')!;
    expect(kvm2.STATE).toBe('3');
    expect((kvm2.TEMPLATE as Record<string, string>).ERROR).toMatch(/ : Error monitoring Host 10\.16\.0\.4 \(2\): /);
    const fe = pool.HOST_POOL.HOST.find((h) => h.NAME === '10.16.0.2')!;
    expect(fe.STATE).toBe('2');
    expect((fe.VMS as { ID: string }).ID).toBe('11');
    expect(Number((fe.MONITORING as { TIMESTAMP: string }).TIMESTAMP)).toBeGreaterThan(Date.now() / 1000 - 60);
    const strings = (v: unknown): boolean => (typeof v === 'object' && v !== null ? Object.values(v).every(strings) : typeof v === 'string');
    expect(strings(pool)).toBe(true);
    const vms = JSON.parse((await ssh.execCommand('onevm list -j')).stdout) as { VM_POOL: { VM: { HISTORY_RECORDS: unknown }[] } };
    expect(vms.VM_POOL.VM).toHaveLength(4);
  });

  it('gives one host as an object and an empty pool as {}', async () => {
    const ssh = await connect('fe');
    const show = JSON.parse((await ssh.execCommand('onehost show 1 -j')).stdout) as { HOST: { NAME: string } };
    expect(show.HOST.NAME).toBe('10.16.0.3');
    const saved = store.get().one.hosts;
    store.update((s) => void (s.one.hosts = saved.slice(0, 1)));
    const one = JSON.parse((await ssh.execCommand('onehost list -j')).stdout) as { HOST_POOL: { HOST: unknown } };
    expect(Array.isArray(one.HOST_POOL.HOST)).toBe(false);
    store.update((s) => void (s.one.hosts = []));
    expect(JSON.parse((await ssh.execCommand('onehost list -j')).stdout)).toEqual({ HOST_POOL: {} });
    store.update((s) => void (s.one.hosts = saved));
    const missing = await ssh.execCommand('onehost show 99 -j');
    expect(missing.code).toBe(255);
    const unknown = await ssh.execCommand('frobnicate --now');
    expect(unknown).toMatchObject({ code: 127, stderr: 'sh: 1: frobnicate: not found' });
  });

  it('answers the health probe with the repo hook hashes and the hook errors', async () => {
    const healthy = parseProbeOutput((await (await connect('kvm-1')).execCommand(probeCommand())).stdout);
    expect(healthy.libvirtd).toBe('active');
    const repo = hookHashes(join(repoRoot, 'hooks'));
    expect(healthy.hooksDir).toBe('/var/tmp/one/vnm/bridge');
    expect(Object.keys(repo)).toContain('pre.d/01-scw-flexip-attach.sh');
    expect(healthy.hooks).toEqual(repo);
    const raw = (await (await connect('kvm-2')).execCommand(`sh -c '${PROBE_SCRIPT.replace(/'/g, `'\\''`)}'`)).stdout;
    expect(raw.split('\n')[0]).toBe('onedeck-probe 1');
    expect(raw.trim().split('\n').at(-1)).toBe('end');
    const degraded = parseProbeOutput(raw);
    expect(degraded.libvirtd).toBe('inactive');
    expect(degraded.hookErrors24h).toBe(2);
    const logs = await (await connect('kvm-2')).execCommand('tail -n 2 /var/log/vnm/scw-flexip-*.log');
    expect(logs.stdout).toMatch(/ERROR: attach failed after 5 attempts/);
  });

  it('refuses connections while a host is down, and control changes show at once', async () => {
    const r = await controlRequest(control.url, 't0k', '/command', ['host', 'kvm-3', 'ssh', 'down']);
    expect(r.body).toMatchObject({ code: 0 });
    const err = await connect('kvm-3').catch((e: NodeJS.ErrnoException) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    await controlRequest(control.url, 't0k', '/command', ['host', 'kvm-3', 'ssh', 'up']);
    expect((await (await connect('kvm-3')).execCommand('echo ok')).stdout).toBe('ok');
    await controlRequest(control.url, 't0k', '/command', ['host', 'kvm-1', 'one-state', 'ERROR', 'Error monitoring Host 10.16.0.3 (1): probe timed out']);
    const show = JSON.parse((await (await connect('fe')).execCommand('onehost show 1 -j')).stdout) as { HOST: { STATE: string; TEMPLATE: { ERROR: string } } };
    expect(show.HOST.STATE).toBe('3');
    expect(show.HOST.TEMPLATE.ERROR).toMatch(/probe timed out$/);
  });

  it('follows the hook logs with tail -F until the channel closes', async () => {
    const ssh = await connect('kvm-2');
    let got = '';
    const ac = new AbortController();
    const done = ssh.execCommand(hookLogCommand(), {
      execOptions: { pty: true },
      onChannel: (ch) => ac.signal.addEventListener('abort', () => ch.close()),
      onStdout: (b) => (got += b.toString()),
    });
    const waitFor = (re: RegExp) => waitUntil(() => re.test(got), String(re), { timeoutMs: 5000, seen: () => got });
    await waitFor(/ERROR: attach failed after 5 attempts/);
    expect(hostCommand(store, ['kvm-2', 'hook-log', 'ERROR', 'detach failed (HTTP 500)']).code).toBe(0);
    await waitFor(/scw-flexip-attach\[\d+\] ERROR: detach failed \(HTTP 500\)/);
    ac.abort();
    await done;
  });
});
