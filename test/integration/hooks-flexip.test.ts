// Runs the real Flexible-IP VNM hooks (bash + curl + jq) against a loopback stand-in of the
// Scaleway Flexible IP API, with every path redirected into a temp dir.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFipApi, type FakeFipApi } from '../harness/fake-fip-api.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ATTACH = join(ROOT, 'hooks/pre.d/01-scw-flexip-attach.sh');
const DETACH = join(ROOT, 'hooks/clean.d/01-scw-flexip-detach.sh');
const VM_XML = readFileSync(join(ROOT, 'test/fixtures/infra/vm-public-nic.xml'), 'utf8');
const VM_IP = '51.159.24.33';
const SERVER_A = '0f5c3d1e-8b2a-4c6d-9e7f-a1b2c3d4e5f6';
const SERVER_B = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ scw-flexip-(attach|detach)\[\d+\] (DEBUG|INFO|WARN|ERROR): /;

let api: FakeFipApi;
let tmp: string;

beforeEach(async () => {
  api = await startFakeFipApi({ transientMs: 120 });
  tmp = mkdtempSync(join(tmpdir(), 'onedeck-hooks-'));
});
afterEach(async () => {
  await api.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Host {
  state: string;
  log: string;
}

/** A hypervisor's state dir (token, zoned server id, API URL override) and log dir. */
function host(name: string, server: string, token = api.token): Host {
  const state = join(tmp, name, 'state');
  const log = join(tmp, name, 'log');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, '.scw-flexip.token'), `${token}\n`, { mode: 0o600 });
  writeFileSync(join(state, 'scw-server-id'), `fr-par-2/${server}\n`, { mode: 0o600 });
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
      SCW_FLEXIP_WAIT_TRIES: '40',
      SCW_FLEXIP_CONFLICT_SECONDS: '0.05',
      ...extraEnv,
    },
  });
  const name = script === ATTACH ? 'scw-flexip-attach.log' : 'scw-flexip-detach.log';
  const log = existsSync(join(h.log, name)) ? readFileSync(join(h.log, name), 'utf8') : '';
  for (const l of log.trim().split('\n').filter(Boolean)) expect(l).toMatch(LINE);
  expect(log).not.toContain(api.token);
  return { code: r.exitCode, stderr: r.stderr, log };
}

const attachCalls = () => api.writes().filter((c) => c.path.endsWith('/fips/attach'));
const detachCalls = () => api.writes().filter((c) => c.path.endsWith('/fips/detach'));

describe('Flexible-IP hooks against the API stand-in', () => {
  it('attach: a free Flexible IP is attached to this server; logged in scw-flexip-attach.log', async () => {
    const fip = api.add(VM_IP);
    const a = host('a', SERVER_A);
    const r = await run(ATTACH, a);
    expect(r.code, r.stderr).toBe(0);
    expect(api.get(fip.id)).toMatchObject({ server_id: SERVER_A, status: 'attached' });
    expect(attachCalls()).toHaveLength(1);
    expect(attachCalls()[0].body).toEqual({ fips_ids: [fip.id], server_id: SERVER_A });
    expect(r.log).toMatch(/INFO: VM 42: attached Flexible IP 51\.159\.24\.33 \(.+\) to server 0f5c3d1e/);
    expect(existsSync(join(a.log, 'scw-flexip-detach.log'))).toBe(false);
    // the private vxlan NIC (10.1.2.101) is never looked up
    expect(r.log).not.toContain('10.1.2.101');
  });

  it('detach: the clean hook detaches a Flexible IP attached to this server', async () => {
    const fip = api.add(VM_IP, { serverId: SERVER_A });
    const a = host('a', SERVER_A);
    const r = await run(DETACH, a);
    expect(r.code, r.stderr).toBe(0);
    expect(detachCalls()).toHaveLength(1);
    expect(detachCalls()[0].body).toEqual({ fips_ids: [fip.id] });
    await expect.poll(() => api.get(fip.id)?.status, { timeout: 3000, interval: 50 }).toBe('ready');
    expect(api.get(fip.id)?.server_id).toBeNull();
    expect(r.log).toMatch(/INFO: VM 42: detached Flexible IP 51\.159\.24\.33/);
    expect(existsSync(join(a.log, 'scw-flexip-attach.log'))).toBe(false);
  });

  it('migrate: attach on B moves the Flexible IP from A; detach on A afterwards leaves it on B', async () => {
    const fip = api.add(VM_IP, { serverId: SERVER_A });
    const a = host('a', SERVER_A);
    const b = host('b', SERVER_B);
    const onB = await run(ATTACH, b);
    expect(onB.code, onB.stderr).toBe(0);
    expect(api.get(fip.id)).toMatchObject({ server_id: SERVER_B, status: 'attached' });
    expect(onB.log).toMatch(/is on server 0f5c3d1e.*detaching it to move it here/);
    const writesBefore = api.writes().length;
    const onA = await run(DETACH, a);
    expect(onA.code, onA.stderr).toBe(0);
    expect(api.writes()).toHaveLength(writesBefore);
    expect(api.get(fip.id)).toMatchObject({ server_id: SERVER_B, status: 'attached' });
    expect(onA.log).toMatch(/attached to server 7a8b9c0d.*leaving it/);
  });

  it('already attached here: nothing is written to the API', async () => {
    api.add(VM_IP, { serverId: SERVER_A });
    const r = await run(ATTACH, host('a', SERVER_A));
    expect(r.code, r.stderr).toBe(0);
    expect(api.writes()).toHaveLength(0);
    expect(r.log).toMatch(/already attached to this server/);
  });

  it('409 twice, then success: the attach is retried a bounded number of times', async () => {
    const fip = api.add(VM_IP);
    api.failNextAttach(2);
    const r = await run(ATTACH, host('a', SERVER_A));
    expect(r.code, r.stderr).toBe(0);
    expect(attachCalls()).toHaveLength(3);
    expect(r.log.match(/409/g)?.length).toBeGreaterThanOrEqual(2);
    expect(api.get(fip.id)).toMatchObject({ server_id: SERVER_A, status: 'attached' });
  });

  it('409 for ever: gives up after SCW_FLEXIP_CONFLICT_TRIES attempts with an ERROR', async () => {
    api.add(VM_IP);
    api.failNextAttach(100);
    const r = await run(ATTACH, host('a', SERVER_A), { SCW_FLEXIP_CONFLICT_TRIES: '3' });
    expect(r.code).not.toBe(0);
    expect(attachCalls()).toHaveLength(3);
    expect(r.log).toMatch(/ERROR: attaching .* still answers 409 after 3 attempts/);
  });

  it('401: exits non-zero with a clear ERROR line, and the token never reaches the log', async () => {
    api.add(VM_IP);
    const badToken = 'ffffffff-0000-4000-8000-000000000bad';
    const a = host('a', SERVER_A, badToken);
    const r = await run(ATTACH, a);
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/ERROR: listing Flexible IPs \(page 1\): the Scaleway API denied the token \(HTTP 401\)/);
    expect(r.log).not.toContain(badToken);
    expect(r.stderr).not.toContain(badToken);
    expect(r.stderr).toContain('HTTP 401');
    expect(api.writes()).toHaveLength(0);
  });

  it('an address that is not a Flexible IP: exit 0, nothing done', async () => {
    api.add('51.159.99.1', { serverId: SERVER_B });
    const r = await run(ATTACH, host('a', SERVER_A));
    expect(r.code, r.stderr).toBe(0);
    expect(api.writes()).toHaveLength(0);
    expect(r.log).toMatch(/51\.159\.24\.33 is not a Flexible IP of zone fr-par-2, nothing to do/);
  });

  it('finds the Flexible IP on page 2 of the list', async () => {
    for (let i = 1; i <= 3; i++) api.add(`51.159.50.${i}`);
    const fip = api.add(VM_IP);
    const r = await run(ATTACH, host('a', SERVER_A), { SCW_FLEXIP_PAGE_SIZE: '3' });
    expect(r.code, r.stderr).toBe(0);
    const pages = api.calls.filter((c) => c.path.endsWith('/fips') && c.method === 'GET').map((c) => c.query.page);
    expect(pages).toEqual(['1', '2']);
    expect(api.get(fip.id)).toMatchObject({ server_id: SERVER_A, status: 'attached' });
  });
});
