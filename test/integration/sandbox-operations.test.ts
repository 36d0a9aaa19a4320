// The add and remove step lists run against the sandbox: its frontend's onehost over real SSH
// (disable, flush, live migration, delete), its Scaleway API (servers delivered over time, their
// SSH host coming up once ready), with injected faults at each step; tofu/ansible jobs are fakes
// that act through the same doors (HTTP, SSH).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NodeSSH } from 'node-ssh';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listHypervisors } from '../../src/config/edit.js';
import { addSteps } from '../../src/operations/add-steps.js';
import { runOperation } from '../../src/operations/engine.js';
import { operationDir, operationIds } from '../../src/operations/journal.js';
import { previewRemove } from '../../src/operations/prepare.js';
import { createOperation } from '../../src/operations/operations.js';
import { PER_HOST_RESOURCES } from '../../src/operations/plan-check.js';
import { removeSteps } from '../../src/operations/remove-steps.js';
import { dropKnownHostLines } from '../../src/operations/runner-deps.js';
import type { StepDeps } from '../../src/operations/step-deps.js';
import type { OperationSummary } from '../../src/operations/types.js';
import { knownHostsPath, writeKnownHosts } from '../../src/sandbox/client-files.js';
import { failCommand, knobCommand } from '../../src/sandbox/control-commands.js';
import { clientKeyPath } from '../../src/sandbox/keys.js';
import { monitorTick } from '../../src/sandbox/one-monitor.js';
import { startFakeScaleway, type FakeScaleway } from '../../src/sandbox/scaleway-api/server.js';
import { startSshHosts, type SshHosts } from '../../src/sandbox/ssh-hosts/server.js';
import { createDefaultState, tagValue } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';
import { FakeJobs } from '../unit/operations-fakes.js';

const repoRoot = resolve(__dirname, '../..');
let dir: string;
let store: SandboxStateStore;
let hosts: SshHosts;
let api: FakeScaleway;
let ticker: NodeJS.Timeout;
const open: NodeSSH[] = [];

function knownKey(address: string, port: number): Buffer {
  const line = readFileSync(knownHostsPath(dir), 'utf8').split('\n').find((l) => l.startsWith(`[${address}]:${port} `))!;
  return Buffer.from(line.split(' ')[2], 'base64');
}

const conns = new Map<string, { port: number; ssh: NodeSSH }>();

async function connect(name: string): Promise<NodeSSH> {
  await hosts.reconcile();
  const cur = store.get().simHosts.find((x) => x.name === name)!;
  const c = conns.get(name);
  if (c && c.port === cur.port && c.ssh.isConnected()) return c.ssh;
  const h = store.get().simHosts.find((x) => x.name === name)!;
  writeKnownHosts(dir, store.get());
  const expected = knownKey(h.address, h.port);
  const ssh = new NodeSSH();
  open.push(ssh);
  await ssh.connect({ host: h.address, port: h.port, username: 'root', privateKeyPath: clientKeyPath(dir), hostVerifier: (k: Buffer) => k.equals(expected), readyTimeout: 3000 } as Parameters<NodeSSH['connect']>[0]);
  conns.set(name, { port: h.port, ssh });
  return ssh;
}

const exec = async (name: string, cmd: string) => {
  const r = await (await connect(name)).execCommand(cmd);
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
};

const scw = (method: string, path: string, body?: unknown) =>
  fetch(`${api.url}/baremetal/v1/zones/fr-par-2${path}`, {
    method,
    headers: { 'x-auth-token': store.get().secretKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A stand-in tofu planner: create the configured hosts without a server, delete servers no longer configured. */
function planFor(hypervisors: string[]) {
  const s = store.get();
  const want = new Set(['fe', ...hypervisors]);
  const have = new Set(s.servers.map((x) => tagValue(x.tags, 'host')!));
  const per = (h: string, action: string) => PER_HOST_RESOURCES.map((b) => ({ addr: `${b}["${h}"]`, action }));
  return [...[...want].filter((h) => !have.has(h)).flatMap((h) => per(h, 'create')), ...[...have].filter((h) => !want.has(h)).flatMap((h) => per(h, 'delete'))];
}

let configFile: string;
let jobs: FakeJobs;
const plans = new Map<string, { addr: string; action: string }[]>();

function makeDeps(): StepDeps {
  jobs = new FakeJobs();
  jobs.onStart = (job) => {
    void (async () => {
      const r = job.req;
      if (r.kind === 'plan') {
        const res = planFor(r.hypervisors);
        plans.set(job.id, res);
        return job.finish({ plan: { resources: res } });
      }
      if (r.kind === 'apply') {
        for (const x of plans.get(r.planJobId) ?? []) {
          const m = /^scaleway_baremetal_server\.host\["(.+)"\]$/.exec(x.addr);
          if (!m) continue;
          if (x.action === 'create') {
            const res = await scw('POST', '/servers', { name: `sandbox-${m[1]}`, offer_id: 'o', tags: ['onedeck', 'cluster=sandbox', `host=${m[1]}`, 'role=hypervisor'], install: { hostname: m[1] } });
            if (!res.ok) return job.finish({ state: 'failed', summary: `Error: ${res.status} ${JSON.stringify(await res.json())}` });
          } else {
            const id = store.get().servers.find((s) => tagValue(s.tags, 'host') === m[1])!.id;
            await scw('DELETE', `/servers/${id}`);
          }
        }
        return job.finish();
      }
      // a playbook: asks the frontend for an injected fault first, as the stand-in ansible-playbook does
      const f = await exec('fe', `onedeck-sandbox-fault ${r.playbook}`);
      if (f.code !== 0) return job.finish({ state: 'failed', summary: f.stderr.trim() });
      if (r.playbook === 'deploy') {
        for (const h of (r.limit ?? []).filter((x) => x !== 'fe')) {
          const sim = store.get().simHosts.find((x) => x.name === h)!;
          await exec(h, 'systemctl enable --now libvirtd');
          const list = await exec('fe', 'onehost list -j');
          if (!list.stdout.includes(`"${sim.privateIp}"`)) await exec('fe', `sudo -n -u oneadmin onehost create ${sim.privateIp} -i kvm -v kvm`);
        }
      }
      if (r.playbook === 'hooks') {
        const sync = await exec('fe', 'sudo -n -u oneadmin onehost sync --force');
        if (sync.code !== 0) return job.finish({ state: 'failed', summary: sync.stderr.trim() });
      }
      job.finish();
    })().catch((e: Error) => job.finish({ state: 'failed', summary: e.message }));
  };
  return {
    jobs,
    frontend: (cmd) => exec('fe', cmd),
    onePrefix: 'sudo -n -u oneadmin',
    async serverStatus(host) {
      const s = store.get().servers.find((x) => tagValue(x.tags, 'host') === host);
      return s ? { status: s.status, ...(s.install ? { installStatus: s.install.status } : {}) } : undefined;
    },
    // the stand-in apply job creates the servers whole: a server it made is an applied one
    async applied(host) {
      return store.get().servers.some((x) => tagValue(x.tags, 'host') === host);
    },
    async sshAnswers(host) {
      try {
        return (await exec(host, 'true')).code === 0;
      } catch {
        return false;
      }
    },
    config: {
      file: configFile,
      read: () => ({ frontend: 'fe', hypervisors: listHypervisors(readFileSync(configFile, 'utf8')), privateIps: {} }),
    },
    renderInventory: async () => {},
    knownHostNames(host) {
      const sim = store.get().simHosts.find((x) => x.name === host);
      return sim ? [host, `[${sim.address}]:${sim.port}`] : [host];
    },
    dropKnownHosts: async (names) => dropKnownHostLines(knownHostsPath(dir), names),
    timing: { serverReadyMs: 30_000, drainMs: 20_000, monitoredMs: 20_000, pollMs: 25 },
  };
}

async function run(kind: 'add' | 'remove', names: string[], deps: StepDeps, id?: string): Promise<OperationSummary> {
  const steps = kind === 'add' ? addSteps(names, deps) : removeSteps(names[0], deps);
  const opId = id ?? createOperation(dir, { kind, title: `${kind} ${names.join(' ')}`, hosts: names, configFile, operator: { user: 't' }, steps: steps.map((s) => ({ id: s.id, title: s.title })) }).id;
  return runOperation({ dir: operationDir(dir, opId), steps, jobs: deps.jobs, lock: { acquire() {}, release() {} } });
}

const oneHostOf = (name: string) => {
  const sim = store.get().simHosts.find((x) => x.name === name)!;
  return store.get().one.hosts.find((h) => h.name === sim.privateIp);
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-ops-'));
  store = new SandboxStateStore(dir, createDefaultState({ repoRoot }));
  knobCommand(store, ['migrate-ms', '400']);
  knobCommand(store, ['delivery-scale', '0.1']);
  hosts = await startSshHosts({ store, dir });
  writeKnownHosts(dir, store.get());
  api = await startFakeScaleway({ state: store, secretKey: store.get().secretKey });
  configFile = join(dir, 'onedeck.yaml');
  writeFileSync(configFile, '# sandbox\ncluster: sandbox\nhypervisors:\n  - kvm-1\n  - kvm-2 # degraded\n  - kvm-3\n');
  // OpenNebula's monitoring, as the daemon runs it
  ticker = setInterval(() => {
    const s = store.get();
    if (monitorTick(s, Math.floor(store.now() / 1000))) store.replace(s);
  }, 100);
});

afterEach(async () => {
  clearInterval(ticker);
  for (const s of open.splice(0)) s.dispose();
  conns.clear();
  await api.close();
  await hosts.close();
  rmSync(dir, { recursive: true, force: true });
});

afterAll(() => clearInterval(ticker));

describe('remove a hypervisor on the sandbox', () => {
  it('drains kvm-2 (its VM lands elsewhere), deletes the host, destroys only its server, edits onedeck.yaml', async () => {
    const before = store.get().servers.filter((s) => !s.tags.includes('host=kvm-2')).map((s) => [s.name, s.id]);
    const oneIds = store.get().one.hosts.filter((h) => h.hostname !== 'kvm-2').map((h) => [h.hostname, h.id]);
    const kvm2 = oneHostOf('kvm-2')!;
    const vm = store.get().one.vms.find((v) => v.hostId === kvm2.id)!;
    const s = await run('remove', ['kvm-2'], makeDeps());
    expect(s.state).toBe('done');
    expect(s.steps.map((x) => x.state)).toEqual(Array(9).fill('done'));
    const moved = store.get().one.vms.find((v) => v.id === vm.id)!;
    expect(moved).toMatchObject({ state: 3, lcmState: 3 });
    expect(moved.hostId).not.toBe(kvm2.id);
    expect(store.get().one.hosts.some((h) => h.id === kvm2.id)).toBe(false);
    const drain = s.steps.find((x) => x.id === 'drain')!;
    expect(drain.log.some((l) => l.startsWith(`VM ${vm.id} ${vm.name}: MIGRATE`))).toBe(true);
    expect(drain.log.at(-1)).toMatch(new RegExp(`^VM ${vm.id} ${vm.name}: RUNNING on `));
    expect(listHypervisors(readFileSync(configFile, 'utf8'))).toEqual(['kvm-1', 'kvm-3']);
    expect(s.steps.find((x) => x.id === 'known-hosts')!.message).toMatch(/^1 line\(s\) dropped \(kvm-2, \[127\.0\.0\.13\]:\d+\)$/);
    expect(readFileSync(knownHostsPath(dir), 'utf8')).not.toContain('[127.0.0.13]:');
    expect(readFileSync(configFile, 'utf8')).toBe('# sandbox\ncluster: sandbox\nhypervisors:\n  - kvm-1\n  - kvm-3\n');
    // every other server keeps its name and id, every other OpenNebula host its id
    await expect.poll(() => store.get().servers.length, { timeout: 10_000 }).toBe(3);
    expect(store.get().servers.map((x) => [x.name, x.id])).toEqual(before);
    expect(store.get().one.hosts.map((h) => [h.hostname, h.id])).toEqual(oneIds);
    // a hook deployment afterwards syncs every remaining host
    expect(await exec('fe', 'sudo -n -u oneadmin onehost sync --force')).toMatchObject({ code: 0 });
  });

  it('onehost delete is refused while VMs run, with OpenNebula\'s message', async () => {
    const r = await exec('fe', `onehost delete ${oneHostOf('kvm-1')!.id}`);
    expect(r).toMatchObject({ code: 255, stderr: '[one.host.delete] Cannot delete host. Can not remove a host with running VMs' });
  });

  it('a VM with no room anywhere stops the drain with the scheduler\'s reason; it resumes once there is room', async () => {
    const saved = store.get().one.hosts.map((h) => [h.id, h.totalMemKb] as const);
    const kvm1 = oneHostOf('kvm-1')!;
    store.update((s) => s.one.hosts.forEach((h) => void (h.id !== kvm1.id && (h.totalMemKb = 1024))));
    const deps = makeDeps();
    let s = await run('remove', ['kvm-1'], deps);
    expect(s).toMatchObject({ state: 'failed', step: 'drain' });
    expect(s.message).toMatch(/VM 1\d \S+ did not move off kvm-1: .* : Cannot dispatch VM to any Host\. Possible reasons: Not enough capacity/);
    expect(store.get().one.vms.filter((v) => v.hostId === kvm1.id)).toHaveLength(2);
    store.update((st) => saved.forEach(([id, mem]) => void (st.one.hosts.find((h) => h.id === id)!.totalMemKb = mem)));
    s = await run('remove', ['kvm-1'], deps, s.id);
    expect(s.state).toBe('done');
    expect(store.get().one.vms.some((v) => v.hostId === kvm1.id)).toBe(false);
  });

  it('an injected failure at each SSH step stops the operation there; each resume gets one step further', async () => {
    for (const f of ['onehost-disable', 'onehost-flush', 'migrate', 'onehost-delete']) expect(failCommand(store, [f]).code).toBe(0);
    const deps = makeDeps();
    let s = await run('remove', ['kvm-1'], deps);
    const stops: string[] = [];
    for (let i = 0; i < 6 && s.state === 'failed'; i++) {
      stops.push(`${s.step}: ${s.message?.split('\n')[0]}`);
      s = await run('remove', ['kvm-1'], deps, s.id);
    }
    expect({ state: s.state, stops }).toEqual({ state: 'done', stops: expect.any(Array) });
    expect(stops.map((x) => x.split(':')[0])).toEqual(['onehost-disable', 'onehost-flush', 'drain', 'onehost-delete']);
    expect(stops[0]).toMatch(/onehost disable 1. on the frontend failed \(exit 255\): \[one\.host\.status\] Error updating host 1: internal error \(injected: onedeck sandbox fail onehost-disable\)/);
    expect(stops[2]).toMatch(/did not move off kvm-1: .*Error live-migrating VM/);
    expect(store.get().one.vms.some((v) => v.hostId === oneHostOf('kvm-1')?.id)).toBe(false);
    expect(failCommand(store, ['list']).message).toBe('no pending fault');
  });
});

describe('removal preview on the sandbox', () => {
  it('lists the host\'s VMs and where they fit; refuses the frontend and VMs with no room before anything changes', async () => {
    const deps = makeDeps();
    const p = await previewRemove(deps, 'kvm-1');
    expect(p.lines[0]).toBe('kvm-1 runs 2 VMs:');
    expect(p.lines.slice(1, 3).join('\n')).toMatch(/^ {2}VM 10 web-1 \(1 CPU, 2\.0 GiB\) → (fe|kvm-3)\n {2}VM 12 worker-1 \(1 CPU, 1\.0 GiB\) → (fe|kvm-3)$/);
    expect(p.steps.map((x) => x.id)).toEqual(['onehost-disable', 'onehost-flush', 'drain', 'onehost-delete', 'plan', 'apply', 'config', 'inventory', 'known-hosts']);
    await expect(previewRemove(deps, 'fe')).rejects.toThrow(/fe is the frontend: it can never be removed/);
    const before = JSON.stringify(store.get().one);
    store.update((s) => s.one.hosts.forEach((h) => void (h.hostname !== 'kvm-1' && (h.totalMemKb = 1024))));
    await expect(previewRemove(deps, 'kvm-1')).rejects.toThrow(/kvm-1 cannot be removed: VM 10 web-1 .*, VM 12 worker-1 .* fit on no other enabled host/);
    expect(operationIds(dir)).toEqual([]);
    expect(store.get().one.hosts.find((h) => h.hostname === 'kvm-1')!.state).toBe(JSON.parse(before).hosts.find((h: { hostname: string }) => h.hostname === 'kvm-1').state);
  });
});

describe('add a hypervisor on the sandbox', () => {
  it('kvm-4: plan, apply, delivery (each status shown), SSH comes up, deploy, MONITORED; faults at apply, server-ready and deploy resume', async () => {
    for (const f of ['apply', 'server-ready', 'deploy']) failCommand(store, [f]);
    const deps = makeDeps();
    let s = await run('add', ['kvm-4'], deps);
    expect(s).toMatchObject({ state: 'failed', step: 'apply' });
    expect(s.message).toMatch(/the apply failed: Error: 403 .*quotas_exceeded/);
    s = await run('add', ['kvm-4'], deps, s.id);
    expect(s).toMatchObject({ state: 'failed', step: 'server-ready' });
    expect(s.message).toMatch(/kvm-4: Scaleway reports the server ready \(install error\)/);
    expect(failCommand(store, ['clear']).code).toBe(0); // a reinstall: the next resume goes on
    failCommand(store, ['deploy']);
    s = await run('add', ['kvm-4'], deps, s.id);
    expect(s).toMatchObject({ state: 'failed', step: 'deploy' });
    expect(s.message).toMatch(/OneDeploy failed: deploy failed \(injected: onedeck sandbox fail deploy\)/);
    s = await run('add', ['kvm-4'], deps, s.id);
    expect(s.state).toBe('done');
    const ready = s.steps.find((x) => x.id === 'server-ready')!;
    expect(ready.log).toContain('kvm-4: ready, install installing');
    expect(ready.log.at(-1)).toBe('kvm-4: ready, install completed, SSH answers');
    expect(s.steps.find((x) => x.id === 'monitored')!.log.at(-1)).toMatch(/^kvm-4: host \d+ MONITORED$/);
    expect(listHypervisors(readFileSync(configFile, 'utf8'))).toEqual(['kvm-1', 'kvm-2', 'kvm-3', 'kvm-4']);
    const sim = store.get().simHosts.find((x) => x.name === 'kvm-4')!;
    expect(sim).toMatchObject({ sshUp: true, libvirtd: 'active', address: '127.0.0.15' });
    expect(sim.port).toBeGreaterThan(0);
    expect(oneHostOf('kvm-4')).toMatchObject({ state: 2, hostname: 'kvm-4' });
    // the plan step refused nothing and only the new host's resources were planned
    expect([...plans.values()].flat().every((r) => r.addr.endsWith('["kvm-4"]'))).toBe(true);
  });

  it('refuses a plan that would touch another host, before applying', async () => {
    const deps = makeDeps();
    // kvm-3's server vanished behind onedeck's back: the plan would recreate it too
    store.update((s) => void (s.servers = s.servers.filter((x) => !x.tags.includes('host=kvm-3'))));
    const s = await run('add', ['kvm-4'], deps);
    expect(s).toMatchObject({ state: 'failed', step: 'plan' });
    expect(s.message).toContain('create scaleway_baremetal_server.host["kvm-3"]');
    expect(jobs.jobs.map((j) => j.req.kind)).toEqual(['plan']);
  });
});
