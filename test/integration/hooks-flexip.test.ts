// Runs the real Flexible-IP VNM hooks (bash + curl + jq) against the sandbox's Scaleway API
// (src/sandbox/scaleway-api), in-process on loopback, with every hook path redirected into a temp dir.
// Outcomes are read from the sandbox state; "nothing written" from the API's request log.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeScaleway, type FakeScaleway } from '../../src/sandbox/scaleway-api/server.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import type { WireFlexibleIp } from '../../src/sandbox/state-types.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';
import { makeFip } from '../../src/sandbox/wire.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ATTACH = join(ROOT, 'hooks/pre.d/01-scw-flexip-attach.sh');
const DETACH = join(ROOT, 'hooks/clean.d/01-scw-flexip-detach.sh');
const VM_XML = readFileSync(join(ROOT, 'test/fixtures/infra/vm-public-nic.xml'), 'utf8');
const VM_IP = '51.159.24.33';
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ scw-flexip-(attach|detach)\[\d+\] (DEBUG|INFO|WARN|ERROR): /;
// the sandbox's clock moves one second per API request, not with the wall clock: a Flexible IP's
// 1.5 s transient state is seen by exactly the next request after the one that caused it, however
// loaded the machine is
const TICK_MS = 1000;

let api: FakeScaleway;
let store: SandboxStateStore;
let tmp: string;
let requests: string[];
/** time moved by hand (what passes after the last request) */
let later = 0;
let serverA: string; // sandbox-kvm-1
let serverB: string; // sandbox-kvm-3

beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'onedeck-hooks-'));
  const t0 = Date.now();
  requests = [];
  later = 0;
  store = new SandboxStateStore(join(tmp, 'sandbox'), createDefaultState({ repoRoot: ROOT, now: t0 }), () => t0 + requests.length * TICK_MS + later);
  api = await startFakeScaleway({ state: store, secretKey: store.get().secretKey, log: (l) => requests.push(l) });
  const id = (name: string) => store.get().servers.find((s) => s.name === name)!.id;
  serverA = id('sandbox-kvm-1');
  serverB = id('sandbox-kvm-3');
});
afterEach(async () => {
  await api.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A Flexible IP with the VM's address, made by the sandbox's own wire builder (created last). */
function addFip(ip: string, serverId: string | null, withMac = true): WireFlexibleIp {
  return store.update((s) => {
    const f = makeFip({ ip, description: `vm ${ip}`, projectId: s.projectId, organizationId: s.organizationId, zone: s.zone, serverId, withMac, createdAt: store.now() });
    s.fips.push(f);
    return f;
  });
}
const fip = (id: string) => store.get().fips.find((f) => f.id === id);

/** The API's request log as { method, path, query }; POSTs are the writes. */
const calls = () =>
  requests
    .map((l) => /^([A-Z]+) ([^?\s]+)(?:\?(\S*))?$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, method, path, q]) => ({ method, path, query: Object.fromEntries(new URLSearchParams(q ?? '')) }));
const writes = () => calls().filter((c) => c.method === 'POST');
const attachCalls = () => writes().filter((c) => c.path.endsWith('/fips/attach'));
const detachCalls = () => writes().filter((c) => c.path.endsWith('/fips/detach'));

interface Host {
  state: string;
  log: string;
}

/** A hypervisor's state dir (token, zoned server id, API URL override) and log dir. */
function host(name: string, server: string, token = store.get().secretKey): Host {
  const state = join(tmp, name, 'state');
  const log = join(tmp, name, 'log');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, '.scw-flexip.token'), `${token}\n`, { mode: 0o600 });
  writeFileSync(join(state, 'scw-server-id'), `${store.get().zone}/${server}\n`, { mode: 0o600 });
  writeFileSync(join(state, 'scw-api-url'), `${api.url}\n`);
  return { state, log };
}

async function run(script: string, h: Host, extraEnv: Record<string, string> = {}) {
  const r = await execa('bash', [script], {
    input: Buffer.from(VM_XML).toString('base64'),
    reject: false,
    timeout: 20_000,
    env: {
      SCW_FLEXIP_STATE_DIR: h.state,
      SCW_FLEXIP_LOG_DIR: h.log,
      SCW_FLEXIP_WAIT_SECONDS: '0.05',
      SCW_FLEXIP_WAIT_TRIES: '100',
      SCW_FLEXIP_CONFLICT_SECONDS: '0.05',
      ...extraEnv,
    },
  });
  const name = script === ATTACH ? 'scw-flexip-attach.log' : 'scw-flexip-detach.log';
  const log = existsSync(join(h.log, name)) ? readFileSync(join(h.log, name), 'utf8') : '';
  for (const l of log.trim().split('\n').filter(Boolean)) expect(l).toMatch(LINE);
  expect(log).not.toContain(store.get().secretKey);
  expect(r.stderr).not.toContain(store.get().secretKey);
  return { code: r.exitCode, stderr: r.stderr, log };
}

const TRANSIENT_409 = (id: string) => ({
  type: 'transient_state',
  resource: 'flexible_ip',
  resource_id: id,
  current_state: 'updating',
  message: 'resource is in a transient state',
});

describe('Flexible-IP hooks against the sandbox Scaleway API', () => {
  it('attach: a free Flexible IP is attached to this server; logged in scw-flexip-attach.log', async () => {
    const f = addFip(VM_IP, null);
    const a = host('a', serverA);
    const r = await run(ATTACH, a);
    expect(r.code, r.stderr).toBe(0);
    expect(fip(f.id)).toMatchObject({ server_id: serverA, status: 'attached' });
    expect(attachCalls()).toHaveLength(1);
    expect(r.log).toMatch(new RegExp(`INFO: VM 42: attached Flexible IP 51\\.159\\.24\\.33 \\(${f.id}\\) to server ${serverA} \\(status attached\\)`));
    // it waited out the transient state the sandbox puts an attach in
    expect(r.log).toMatch(/is updating, waiting/);
    expect(existsSync(join(a.log, 'scw-flexip-detach.log'))).toBe(false);
    // the private vxlan NIC (10.1.2.101) is never looked up
    expect(r.log).not.toContain('10.1.2.101');
  });

  it('attach: a Flexible IP without a virtual MAC gets one before it is attached', async () => {
    const f = addFip(VM_IP, null, false);
    const r = await run(ATTACH, host('a', serverA));
    expect(r.code, r.stderr).toBe(0);
    expect(writes().map((c) => c.path.split('/').slice(-2).join('/'))).toEqual([`${f.id}/mac`, 'fips/attach']);
    expect(fip(f.id)).toMatchObject({ server_id: serverA, status: 'attached', mac_address: { mac_type: 'kvm' } });
    expect(r.log).toMatch(/has no virtual MAC, creating a kvm one/);
  });

  it('detach: the clean hook detaches a Flexible IP attached to this server', async () => {
    const f = addFip(VM_IP, serverA);
    const a = host('a', serverA);
    const r = await run(DETACH, a);
    expect(r.code, r.stderr).toBe(0);
    expect(detachCalls()).toHaveLength(1);
    expect(writes()).toHaveLength(1);
    expect(fip(f.id)?.server_id).toBeNull();
    // the transition settles once its time has passed
    later += 2 * TICK_MS;
    expect(fip(f.id)?.status).toBe('ready');
    expect(r.log).toMatch(/INFO: VM 42: detached Flexible IP 51\.159\.24\.33/);
    expect(existsSync(join(a.log, 'scw-flexip-attach.log'))).toBe(false);
  });

  it('migrate: attach on B moves the Flexible IP from A; detach on A afterwards leaves it on B', async () => {
    const f = addFip(VM_IP, serverA);
    const a = host('a', serverA);
    const b = host('b', serverB);
    const onB = await run(ATTACH, b);
    expect(onB.code, onB.stderr).toBe(0);
    expect(fip(f.id)).toMatchObject({ server_id: serverB, status: 'attached' });
    expect(writes().map((c) => c.path.split('/').pop())).toEqual(['detach', 'attach']);
    expect(onB.log).toMatch(new RegExp(`is on server ${serverA}, detaching it to move it here`));
    const writesBefore = writes().length;
    const onA = await run(DETACH, a);
    expect(onA.code, onA.stderr).toBe(0);
    expect(writes()).toHaveLength(writesBefore);
    expect(fip(f.id)).toMatchObject({ server_id: serverB, status: 'attached' });
    expect(onA.log).toMatch(new RegExp(`attached to server ${serverB}, not to this server ${serverA}: leaving it`));
  });

  it('already attached here: nothing is written to the API', async () => {
    const f = addFip(VM_IP, serverA);
    const r = await run(ATTACH, host('a', serverA));
    expect(r.code, r.stderr).toBe(0);
    expect(calls().some((c) => c.method === 'GET' && c.path.endsWith(`/fips/${f.id}`))).toBe(true);
    expect(writes()).toHaveLength(0);
    expect(fip(f.id)).toMatchObject({ server_id: serverA, status: 'attached' });
    expect(r.log).toMatch(/already attached to this server/);
  });

  it('409 twice, then success: the attach is retried a bounded number of times', async () => {
    const f = addFip(VM_IP, null);
    api.inject({ method: 'POST', path: /\/fips\/attach$/, status: 409, body: TRANSIENT_409(f.id), times: 2 });
    const r = await run(ATTACH, host('a', serverA));
    expect(r.code, r.stderr).toBe(0);
    expect(attachCalls()).toHaveLength(3);
    expect(r.log.match(/: 409 \(resource is in a transient state\), retrying/g)).toHaveLength(2);
    expect(fip(f.id)).toMatchObject({ server_id: serverA, status: 'attached' });
  });

  it('409 for ever: gives up after SCW_FLEXIP_CONFLICT_TRIES attempts with an ERROR', async () => {
    const f = addFip(VM_IP, null);
    api.inject({ method: 'POST', path: /\/fips\/attach$/, status: 409, body: TRANSIENT_409(f.id), times: 100 });
    const r = await run(ATTACH, host('a', serverA), { SCW_FLEXIP_CONFLICT_TRIES: '3' });
    expect(r.code).not.toBe(0);
    expect(attachCalls()).toHaveLength(3);
    expect(r.log).toMatch(/ERROR: attaching .* still answers 409 after 3 attempts/);
    expect(fip(f.id)).toMatchObject({ server_id: null, status: 'ready' });
  });

  it('401: exits non-zero with a clear ERROR line, and the token never reaches the log', async () => {
    const f = addFip(VM_IP, null);
    const badToken = 'ffffffff-0000-4000-8000-000000000bad';
    const r = await run(ATTACH, host('a', serverA, badToken));
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/ERROR: listing Flexible IPs \(page 1\): the Scaleway API denied the token \(HTTP 401\): authentication is denied/);
    expect(r.log).not.toContain(badToken);
    expect(r.stderr).not.toContain(badToken);
    expect(r.stderr).toContain('HTTP 401');
    expect(writes()).toHaveLength(0);
    expect(fip(f.id)).toMatchObject({ server_id: null, status: 'ready' });
  });

  it('an address that is not a Flexible IP: exit 0, nothing done', async () => {
    const before = JSON.stringify(store.get().fips);
    const r = await run(ATTACH, host('a', serverA));
    expect(r.code, r.stderr).toBe(0);
    expect(calls().filter((c) => c.method === 'GET').length).toBeGreaterThan(0);
    expect(writes()).toHaveLength(0);
    expect(JSON.stringify(store.get().fips)).toBe(before);
    expect(r.log).toMatch(/51\.159\.24\.33 is not a Flexible IP of zone fr-par-2, nothing to do/);
  });

  it('finds the Flexible IP on page 2 of the list', async () => {
    const f = addFip(VM_IP, null);
    // the sandbox's five Flexible IPs come first (oldest), so with 3 a page this one is on page 2
    expect(store.get().fips.length).toBe(6);
    const r = await run(ATTACH, host('a', serverA), { SCW_FLEXIP_PAGE_SIZE: '3' });
    expect(r.code, r.stderr).toBe(0);
    const lists = calls().filter((c) => c.method === 'GET' && c.path.endsWith('/fips'));
    expect(lists.map((c) => [c.query.page, c.query.page_size])).toEqual([['1', '3'], ['2', '3']]);
    expect(fip(f.id)).toMatchObject({ server_id: serverA, status: 'attached' });
  });

  it('the sandbox API answers a GET on a deleted Flexible IP with 403 permissions_denied, as Scaleway does', async () => {
    const f = addFip(VM_IP, null);
    const base = `${api.url}/flexible-ip/v1alpha1/zones/${store.get().zone}/fips`;
    const headers = { 'X-Auth-Token': store.get().secretKey };
    expect((await fetch(`${base}/${f.id}`, { method: 'DELETE', headers })).status).toBe(204);
    const gone = await fetch(`${base}/${f.id}`, { headers });
    expect(gone.status).toBe(403);
    expect(await gone.json()).toMatchObject({ type: 'permissions_denied', message: 'insufficient permissions' });
    // an id that never existed is still 404
    expect((await fetch(`${base}/00000000-0000-4000-8000-000000000000`, { headers })).status).toBe(404);
  });

  /** Hold the Flexible IP in `updating` until the test lets go, then delete it through the API while the hook polls it. */
  async function deleteWhilePolled(f: WireFlexibleIp, hook: Promise<unknown>): Promise<void> {
    await expect.poll(() => calls().filter((c) => c.method === 'GET' && c.path.endsWith(`/fips/${f.id}`)).length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(1);
    store.update((s) => {
      const x = s.fips.find((y) => y.id === f.id)!;
      x.status = x.server_id ? 'attached' : 'ready';
      delete s.fipBusyUntil[f.id];
    });
    const del = await fetch(`${api.url}/flexible-ip/v1alpha1/zones/${store.get().zone}/fips/${f.id}`, { method: 'DELETE', headers: { 'X-Auth-Token': store.get().secretKey } });
    expect(del.status).toBe(204);
    await hook;
  }
  const holdUpdating = (f: WireFlexibleIp) =>
    store.update((s) => {
      s.fips.find((y) => y.id === f.id)!.status = 'updating';
      s.fipBusyUntil[f.id] = store.now() + 3_600_000;
    });

  it('detach: a Flexible IP deleted while the hook waits is gone (403 from the GET, absent from the list), not a permission error', async () => {
    const f = addFip(VM_IP, serverA);
    holdUpdating(f);
    const hook = run(DETACH, host('a', serverA));
    await deleteWhilePolled(f, hook);
    const r = await hook;
    expect(r.code, r.stderr).toBe(0);
    expect(r.log).toMatch(/INFO: Flexible IP [0-9a-f-]{36} is gone \(GET answered 403 and the list does not have it\)/);
    expect(r.log).toMatch(/INFO: VM 42: Flexible IP 51\.159\.24\.33 \([0-9a-f-]{36}\) was deleted at Scaleway, nothing to detach/);
    expect(r.log).not.toMatch(/lacks permissions/);
    expect(detachCalls()).toHaveLength(0);
  });

  it('attach: a Flexible IP deleted while the hook waits fails with that reason, not "token lacks permissions"', async () => {
    const f = addFip(VM_IP, null);
    holdUpdating(f);
    const hook = run(ATTACH, host('a', serverA));
    await deleteWhilePolled(f, hook);
    const r = await hook;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: VM 42: Flexible IP 51\.159\.24\.33 \([0-9a-f-]{36}\) was deleted at Scaleway/);
    expect(r.log).not.toMatch(/lacks permissions/);
    expect(attachCalls()).toHaveLength(0);
  });

  it('a 403 on a Flexible IP the list still has is a missing permission', async () => {
    const f = addFip(VM_IP, serverA);
    api.inject({ method: 'GET', path: new RegExp(`/fips/${f.id}$`), status: 403, body: { type: 'permissions_denied', message: 'insufficient permissions', details: [{ action: 'read', resource: 'flexible_ips' }] }, times: 100 });
    const r = await run(DETACH, host('a', serverA));
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/ERROR: reading Flexible IP [0-9a-f-]{36}: the token lacks permissions \(HTTP 403\): insufficient permissions/);
    expect(writes()).toHaveLength(0);
  });

  it('a Flexible IP that stays in transit: gives up after SCW_FLEXIP_WAIT_TIMEOUT, saying which setting raises it', async () => {
    const f = addFip(VM_IP, null);
    holdUpdating(f);
    const r = await run(ATTACH, host('a', serverA), { SCW_FLEXIP_WAIT_TRIES: '', SCW_FLEXIP_WAIT_TIMEOUT: '0.5', SCW_FLEXIP_WAIT_SECONDS: '0.05' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: Flexible IP [0-9a-f-]{36} is still "updating" after 10 polls every 0\.05s; retry the VM action, or raise SCW_FLEXIP_WAIT_TIMEOUT \(now 0\.5s\)/);
    expect(calls().filter((c) => c.method === 'GET' && c.path.endsWith(`/fips/${f.id}`))).toHaveLength(11);
    expect(writes()).toHaveLength(0);
  });

  it('by default the hooks wait long enough for two real transitions of 20 s each (90 s, polled every 2 s)', async () => {
    const lib = join(ROOT, 'hooks/lib/scw-flexip.sh');
    const show = (env: Record<string, string>) =>
      execa('bash', ['-c', `. "$0"; echo "$SCW_FLEXIP_WAIT_TRIES $SCW_FLEXIP_WAIT_SECONDS $SCW_FLEXIP_WAIT_TIMEOUT"`, lib], { env, extendEnv: false }).then((r) => r.stdout.split(' ').map(Number));
    const [tries, every, timeout] = await show({ PATH: process.env.PATH ?? '/usr/bin:/bin' });
    expect(tries * every).toBeGreaterThanOrEqual(40);
    expect([tries, every, timeout]).toEqual([45, 2, 90]);
    expect(await show({ PATH: process.env.PATH ?? '/usr/bin:/bin', SCW_FLEXIP_WAIT_TIMEOUT: '300', SCW_FLEXIP_WAIT_SECONDS: '4' })).toEqual([75, 4, 300]);
  });
});
