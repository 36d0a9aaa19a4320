// The REAL @scaleway/sdk against the sandbox's fake Scaleway API, in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baremetal, Flexibleip, Ipam, Vpc, createClient } from '@scaleway/sdk';
import { Errors, createAdvancedClient, withDefaultPageSize, withProfile } from '@scaleway/sdk-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeScaleway, type FakeScaleway } from '../../src/sandbox/scaleway-api/server.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';
import { fakeSecretKey } from '../harness/fake-credentials.js';

let dir: string;
let store: SandboxStateStore;
let api: FakeScaleway;

const profile = () => {
  const s = store.get();
  return { accessKey: s.accessKey, secretKey: s.secretKey, defaultProjectId: s.projectId, defaultZone: s.zone, defaultRegion: s.region, apiURL: api.url } as const;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-api-'));
  store = new SandboxStateStore(dir, createDefaultState({ repoRoot: dir }));
  api = await startFakeScaleway({ state: store, secretKey: store.get().secretKey });
});

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fake Scaleway API through the real SDK', () => {
  it('has a url without trailing slash on loopback', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists servers across pages with a small default page size', async () => {
    const client = createAdvancedClient(withProfile(profile()), withDefaultPageSize(2));
    const bm = new Baremetal.v1.API(client);
    const first = await bm.listServers();
    expect(first.totalCount).toBe(4);
    expect(first.servers).toHaveLength(2);
    const all = await bm.listServers().all();
    expect(all.map((s) => s.name).sort()).toEqual(['sandbox-fe', 'sandbox-kvm-1', 'sandbox-kvm-2', 'sandbox-kvm-3']);
    expect(all[0].createdAt).toBeInstanceOf(Date);
    expect(all[0].install?.status).toBe('completed');
    expect(all[0].ips.map((i) => i.version)).toEqual(['IPv4', 'IPv6']);
    const filtered = await bm.listServers({ name: 'kvm-2' });
    expect(filtered.servers.map((s) => s.name)).toEqual(['sandbox-kvm-2']);
  });

  it('gets one server and maps an unknown id to ResourceNotFoundError', async () => {
    const bm = new Baremetal.v1.API(createClient(profile()));
    const [srv] = (await bm.listServers({ name: 'sandbox-fe' })).servers;
    const got = await bm.getServer({ serverId: srv.id });
    expect(got.tags).toContain('host=fe');
    const err = await bm.getServer({ serverId: '00000000-0000-0000-0000-000000000000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Errors.ResourceNotFoundError);
    expect((err as Errors.ResourceNotFoundError).resource).toBe('baremetal_server');
  });

  it('creates a server that moves from delivering to ready/completed', async () => {
    const bm = new Baremetal.v1.API(createClient(profile()));
    const srv = await bm.createServer({ offerId: 'x', name: 'sandbox-kvm-9', description: '', protected: false, tags: ['host=kvm-9'] });
    expect(srv.status).toBe('delivering');
    const ready = await bm.waitForServer({ serverId: srv.id }, { timeout: 10, minDelay: 1, maxDelay: 1 });
    expect(ready.status).toBe('ready');
    await bm.deleteServer({ serverId: srv.id });
  });

  it('lists, detaches and attaches Flexible IPs (409 while transient)', async () => {
    const client = createAdvancedClient(withProfile(profile()), withDefaultPageSize(2));
    const fip = new Flexibleip.v1alpha1.API(client);
    const bm = new Baremetal.v1.API(client);
    const all = await fip.listFlexibleIPs().all();
    expect(all.length).toBe(5);
    expect(all[0].ipAddress).toMatch(/^212\.47\.\d+\.\d+\/32$/);
    const [kvm3] = (await bm.listServers({ name: 'sandbox-kvm-3' })).servers;
    const onKvm3 = await fip.listFlexibleIPs({ serverIds: [kvm3.id] });
    expect(onKvm3.flexibleIps).toHaveLength(1);
    const id = onKvm3.flexibleIps[0].id;
    const det = await fip.detachFlexibleIP({ fipsIds: [id] });
    expect(det.flexibleIps[0].status).toBe('detaching');
    const busy = await fip.attachFlexibleIP({ fipsIds: [id], serverId: kvm3.id }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(Errors.TransientStateError);
    const ready = await fip.waitForFlexibleIP({ fipId: id }, { timeout: 10, minDelay: 1, maxDelay: 1 });
    expect(ready.status).toBe('ready');
    await fip.attachFlexibleIP({ fipsIds: [id], serverId: kvm3.id });
    expect((await fip.getFlexibleIP({ fipId: id })).serverId).toBe(kvm3.id);
    // a Flexible IP belongs to its zone: under another zone the API does not find it
    const elsewhere = await fip.getFlexibleIP({ fipId: id, zone: 'nl-ams-1' }).catch((e: unknown) => e);
    expect(elsewhere).toBeInstanceOf(Errors.ResourceNotFoundError);
    const detachElsewhere = await fip.detachFlexibleIP({ fipsIds: [id], zone: 'nl-ams-1' }).catch((e: unknown) => e);
    expect(detachElsewhere).toBeInstanceOf(Errors.ResourceNotFoundError);
    expect((await fip.getFlexibleIP({ fipId: id })).serverId).toBe(kvm3.id);
  });

  it('lists server private networks (v3), VPC private networks and IPAM IPs', async () => {
    const client = createClient(profile());
    const bm = new Baremetal.v1.API(client);
    const [fe] = (await bm.listServers({ name: 'sandbox-fe' })).servers;
    const pn = new Baremetal.v3.PrivateNetworkAPI(client);
    const spns = await pn.listServerPrivateNetworks({ serverId: fe.id });
    expect(spns.serverPrivateNetworks).toHaveLength(2);
    expect(spns.serverPrivateNetworks[0].vlan).toBe(1891);
    const nets = await new Vpc.v2.API(client).listPrivateNetworks();
    expect(nets.privateNetworks.map((n) => n.name)).toEqual(['sandbox-management', 'sandbox-vmtovm']);
    const ips = await new Ipam.v1.API(client).listIPs({ privateNetworkId: nets.privateNetworks[0].id, resourceType: 'baremetal_private_nic', resourceId: fe.id });
    expect(ips.ips.map((i) => i.address)).toEqual(['10.16.0.2/20']);
  });

  it('answers 401 to a wrong key and 429 when injected', async () => {
    const bad = new Baremetal.v1.API(createClient({ ...profile(), secretKey: fakeSecretKey('1') }));
    const e401 = await bad.listServers().catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(Errors.DeniedAuthenticationError);
    api.inject({ method: 'GET', path: /\/servers$/, status: 429 });
    const bm = new Baremetal.v1.API(createClient(profile()));
    const e429 = await bm.listServers().catch((e: unknown) => e);
    expect(e429).toBeInstanceOf(Errors.TooManyRequestsError);
    expect((await bm.listServers()).totalCount).toBeGreaterThanOrEqual(4);
  });
});
