// The real @scaleway/sdk over HTTP against test/harness/fake-scw-http.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScalewayClient, retryingFetch, type HttpPolicy } from '../../src/adapters/scaleway/client.js';
import { resolveScalewayCredentials } from '../../src/adapters/scaleway/credentials.js';
import { readScaleway } from '../../src/adapters/scaleway/servers.js';
import { describeError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { Sweeper } from '../../src/health/sweep.js';
import { fakeServer, startFakeScw, type FakeScw } from '../harness/fake-scw-http.js';
import { waitFor } from '../harness/wait.js';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const PROJECT = '11111111-1111-1111-1111-111111111111';
const SECRET = fakeSecretKey('2');
const config = { scaleway: { zone: 'fr-par-2', region: 'fr-par', project_id: PROJECT, offer: 'EM', profile: undefined, config_path: undefined } };

let fake: FakeScw;
const waits: number[] = [];
const policy = (over: Partial<HttpPolicy> = {}): HttpPolicy => ({
  timeoutMs: 2000,
  retries: 2,
  baseDelayMs: 10,
  maxDelayMs: 5000,
  sleep: async (ms) => {
    waits.push(ms);
  },
  ...over,
});

function read(p: HttpPolicy = policy()) {
  const creds = resolveScalewayCredentials(config, { SCW_ACCESS_KEY: fakeAccessKey('X'), SCW_SECRET_KEY: SECRET, SCW_API_URL: fake.url });
  return readScaleway(createScalewayClient(creds, p), { zone: 'fr-par-2', region: 'fr-par', projectId: PROJECT, attempts: p.retries + 1 });
}

async function failure(p?: HttpPolicy): Promise<string> {
  try {
    await read(p);
  } catch (err) {
    return describeError(err);
  }
  throw new Error('expected the read to fail');
}

beforeAll(async () => {
  fake = await startFakeScw();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.script.clear();
  fake.requests.length = 0;
  fake.servers.length = 0;
  fake.fips.length = 0;
  fake.serverPrivateNetworks.length = 0;
  fake.ipamIps.length = 0;
  waits.length = 0;
});

describe('Scaleway adapter over HTTP with the real SDK', () => {
  it('reads every page of servers (3 pages of 100), private networks, IPAM IPs and Flexible IPs', async () => {
    for (let i = 1; i <= 250; i++) fake.servers.push(fakeServer(i));
    fake.servers[1] = fakeServer(2, { status: 'ready', install: { ...(fakeServer(2).install as object), status: 'installing' } });
    const s1 = fake.servers[0].id as string;
    fake.serverPrivateNetworks.push({ id: 'spn-1', project_id: PROJECT, server_id: s1, private_network_id: 'pn-1', vlan: 1891, status: 'attached', ipam_ip_ids: ['ipam-1'], created_at: null, updated_at: null });
    fake.ipamIps.push({ id: 'ipam-1', address: '10.16.0.12/20', project_id: PROJECT, is_ipv6: false, tags: [], reverses: [], region: 'fr-par', resource: { type: 'baremetal_private_nic', id: 'spn-1', mac_address: '02:00:00:00:00:01' } });
    fake.fips.push({ id: 'fip-1', organization_id: PROJECT, project_id: PROJECT, description: '', tags: ['host=kvm-1'], status: 'attached', ip_address: '212.47.0.1/32', mac_address: { id: 'mac-1', mac_address: '52:54:00:aa:bb:cc', mac_type: 'kvm', status: 'used', zone: 'fr-par-2' }, server_id: s1, reverse: '', zone: 'fr-par-2' });
    fake.fips.push({ id: 'fip-2', organization_id: PROJECT, project_id: PROJECT, description: '', tags: [], status: 'ready', ip_address: '212.47.0.2/32', reverse: '', zone: 'fr-par-2' });

    const d = await read();
    expect(d.servers).toHaveLength(250);
    const pages = fake.requests.filter((r) => r.path.endsWith('/servers')).map((r) => [r.query.get('page') ?? '1', r.query.get('page_size')]);
    expect(pages.sort()).toEqual([['1', '100'], ['2', '100'], ['3', '100']]);
    expect(fake.requests.every((r) => r.token === SECRET)).toBe(true);
    expect(fake.requests.find((r) => r.path.endsWith('/servers'))?.query.get('project_id')).toBe(PROJECT);
    const v1 = d.servers[0];
    expect(v1).toMatchObject({ name: 'prod-kvm-1', status: 'ready', installStatus: 'completed', pingStatus: 'ping_status_up', offer: 'EM-A610R-NVMe', zone: 'fr-par-2' });
    expect(v1.publicIps).toEqual(['51.159.0.1', '2001:bc8:1200::1']);
    expect(v1.privateNetworks).toEqual([{ privateNetworkId: 'pn-1', vlan: 1891, status: 'attached', ips: ['10.16.0.12'] }]);
    expect(v1.flexibleIps).toEqual([{ id: 'fip-1', ip: '212.47.0.1', mac: '52:54:00:aa:bb:cc', status: 'attached', serverId: s1 }]);
    expect(v1.tags).toContain('host=kvm-1');
    expect(d.servers[1].installStatus).toBe('installing');
    expect(d.flexibleIps.map((f) => [f.ip, f.serverId ?? null])).toEqual([['212.47.0.1', s1], ['212.47.0.2', null]]);
    expect(d.warnings).toEqual([]);
  });

  it('401: says the credentials were rejected and how to fix them', async () => {
    fake.script.set('/servers', [{ status: 401, body: { type: 'denied_authentication', method: 'api_key', reason: 'not_found', message: 'authentication is denied' } }]);
    const msg = await failure();
    expect(msg).toMatch(/^Scaleway rejected the credentials \(401\) when trying to list Elastic Metal servers/);
    expect(msg).toMatch(/check SCW_ACCESS_KEY\/SCW_SECRET_KEY or the scw profile/i);
    expect(msg).not.toContain(SECRET);
  });

  it('403: names the missing permission', async () => {
    fake.script.set('/servers', [{ status: 403, body: { type: 'permissions_denied', message: 'insufficient permissions', details: [{ action: 'read', resource: 'baremetal_servers' }] } }]);
    expect(await failure()).toMatch(/Scaleway refused to list Elastic Metal servers \(403\): the API key lacks the permission read baremetal_servers/);
  });

  it('403 on a secondary list (Flexible IPs) is a warning, the servers still come through', async () => {
    fake.servers.push(fakeServer(1));
    fake.script.set('/fips', [{ status: 403, body: { type: 'permissions_denied', message: 'insufficient permissions', details: [{ action: 'read', resource: 'flexible_ips' }] } }]);
    const d = await read();
    expect(d.servers).toHaveLength(1);
    expect(d.warnings).toEqual([expect.stringMatching(/refused to list Flexible IPs \(403\).*read flexible_ips/)]);
  });

  it('404: reported with what to check', async () => {
    fake.script.set('/servers', [{ status: 404, body: { message: 'Not Found' } }]);
    expect(await failure()).toMatch(/Scaleway answered 404 \(not found\) when trying to list Elastic Metal servers: Not Found\.\nCheck scaleway.zone/);
  });

  it('429 then ok: waits reset_seconds and retries', async () => {
    fake.servers.push(fakeServer(1));
    fake.script.set('/servers', [
      { status: 429, body: { type: 'too_many_requests', help_message: 'slow down', limit: { quota: 10, window_seconds: 1 }, reset_seconds: 2 } },
    ]);
    const d = await read();
    expect(d.servers).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/servers'))).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('429 honours Retry-After when the body has no reset_seconds, and gives up with a message', async () => {
    const tooMany = { status: 429, body: { message: 'slow down' }, headers: { 'Retry-After': '1' } };
    fake.script.set('/servers', [tooMany, tooMany, tooMany]);
    const msg = await failure();
    expect(msg).toMatch(/Scaleway rate-limited onedeck \(429\) when trying to list Elastic Metal servers after 3 attempts/);
    expect(waits).toEqual([1000, 1000]);
  });

  it('500 ×N: retried with backoff, then reported', async () => {
    const boom = { status: 500, body: null, raw: 'upstream exploded', contentType: 'text/plain' };
    fake.script.set('/servers', [boom, boom, boom]);
    const msg = await failure();
    expect(msg).toMatch(/^the Scaleway API failed \(500\) when trying to list Elastic Metal servers after 3 attempts: upstream exploded/);
    expect(fake.requests.filter((r) => r.path.endsWith('/servers'))).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThan(waits[0]);
  });

  it('503 once then ok is invisible to the caller', async () => {
    fake.servers.push(fakeServer(1));
    fake.script.set('/servers', [{ status: 503, body: { message: 'unavailable' } }]);
    expect((await read()).servers).toHaveLength(1);
  });

  it('malformed JSON: says the response cannot be read', async () => {
    fake.script.set('/servers', [{ status: 200, body: null, raw: '{"servers": [ {"id": ' }]);
    expect(await failure()).toMatch(/the Scaleway API sent a response onedeck cannot read when trying to list Elastic Metal servers \(could not parse/);
  });

  it('timeout: every attempt bounded, then reported', async () => {
    const slow = { status: 200, body: { total_count: 0, servers: [] }, delayMs: 1500 };
    fake.script.set('/servers', [slow, slow]);
    const from = fake.requests.length;
    const msg = await failure(policy({ timeoutMs: 200, retries: 1 }));
    expect(msg).toMatch(/the Scaleway API did not answer GET \/baremetal\/v1\/zones\/fr-par-2\/servers within 0.2s \(2 attempts\)/);
    // each attempt was given up by the client before the slow answer came (not how fast: that it did)
    const sent = fake.requests.slice(from).filter((q) => q.path.endsWith('/servers'));
    expect(sent).toHaveLength(2);
    await waitFor(() => sent.every((q) => q.abandoned), 'both attempts to be abandoned by the client');
  });
});

describe('retries', () => {
  it('never sends a non-idempotent request twice after a 5xx or a lost answer; a 429 (not processed) is retried', async () => {
    const calls: string[] = [];
    const answers: (Response | Error)[] = [];
    const fetchImpl = (async (req: Request) => {
      calls.push(req.method);
      const a = answers.shift() ?? new Response('{"total_count":0,"servers":[]}', { status: 200, headers: { 'Content-Type': 'application/json' } });
      if (a instanceof Error) throw a;
      return a;
    }) as unknown as typeof fetch;
    const f = retryingFetch(policy({ retries: 3 }), fetchImpl);
    const post = () => f(new Request('http://127.0.0.1:9/flexible-ip/v1alpha1/zones/fr-par-2/fips/attach', { method: 'POST', body: '{}' }));
    answers.push(new Response('upstream exploded', { status: 502 }));
    expect((await post()).status).toBe(502);
    expect(calls).toEqual(['POST']);
    calls.length = 0;
    answers.push(new TypeError('fetch failed'));
    await expect(post()).rejects.toThrow(/cannot reach the Scaleway API at http:\/\/127\.0\.0\.1:9: fetch failed for POST .*fips\/attach \(1 attempts\)/);
    expect(calls).toEqual(['POST']);
    calls.length = 0;
    answers.push(new Response('{"reset_seconds":0}', { status: 429, headers: { 'Content-Type': 'application/json' } }));
    expect((await post()).status).toBe(200);
    expect(calls).toEqual(['POST', 'POST']);
    calls.length = 0;
    // a read is retried as before
    answers.push(new Response('x', { status: 503 }), new TypeError('fetch failed'));
    expect((await f('http://127.0.0.1:9/baremetal/v1/zones/fr-par-2/servers')).status).toBe(200);
    expect(calls).toEqual(['GET', 'GET', 'GET']);
  });
});

describe('a sweep that gave up on the Scaleway API', () => {
  it('stops that read: no more retries once the source timeout has passed', async () => {
    const boom = { status: 500, body: null, raw: 'upstream exploded', contentType: 'text/plain' };
    fake.script.set('/servers', [boom, boom, boom, boom]);
    const vars = { SCW_ACCESS_KEY: fakeAccessKey('X'), SCW_SECRET_KEY: SECRET, SCW_API_URL: fake.url };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    const cfg = parseConfig(`cluster: prod\nscaleway: { zone: fr-par-2, project_id: ${PROJECT} }\nfrontend: { name: fe }\n`, '/tmp/onedeck.yaml');
    const sweeper = new Sweeper(cfg, { sourceTimeoutMs: 200, inventory: async () => undefined, repoHooks: () => ({}), opennebula: async () => ({ hosts: [], vms: [], at: 1 }) });
    try {
      const r = await sweeper.sweep();
      expect(r.sourceErrors.scaleway).toMatch(/did not answer within/);
      const served = fake.requests.filter((q) => q.path.endsWith('/servers')).length;
      expect(served).toBe(1);
      // the first retry would come 0.375-0.625 s after the first answer; wait past it
      await new Promise((res) => setTimeout(res, 1000));
      expect(fake.requests.filter((q) => q.path.endsWith('/servers')).length).toBe(served);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await sweeper.close();
    }
  });
});

describe('Scaleway credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-scw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      `access_key: "${fakeAccessKey('A')}"`,
      `secret_key: "${SECRET}"`,
      'active_profile: prod',
      'profiles:',
      '  prod:',
      `    access_key: '${fakeAccessKey('B')}'`,
      '  other:',
      `    access_key: ${fakeAccessKey('C')}`,
      '    secret_key: not-a-uuid',
      '',
    ].join('\n'),
  );

  it('reads the scw config file with real YAML (quotes removed), honouring active_profile and inheritance', () => {
    const c = resolveScalewayCredentials(config, { SCW_CONFIG_PATH: file, HOME: dir });
    expect(c.profile.accessKey).toBe(fakeAccessKey('B'));
    expect(c.profile.secretKey).toBe(SECRET);
    expect(c.source).toBe(`${file} profile prod`);
  });

  it('SCW_PROFILE wins over active_profile, and a bad profile says what is wrong', () => {
    expect(() => resolveScalewayCredentials(config, { SCW_CONFIG_PATH: file, HOME: dir, SCW_PROFILE: 'other' })).toThrow(/secret key from .* profile other is malformed/);
    expect(() => resolveScalewayCredentials(config, { SCW_CONFIG_PATH: file, HOME: dir, SCW_PROFILE: 'nope' })).toThrow(/scw profile "nope" does not exist/);
  });

  it('no credentials at all: says where it looked and how to fix it', () => {
    expect(() => resolveScalewayCredentials(config, { HOME: dir })).toThrow(/no Scaleway credentials/);
  });
});
