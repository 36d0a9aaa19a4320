// Some real Elastic Metal servers list their IPv6 address first (`ips: [IPv6, IPv4]`), and IPAM gives
// each private NIC an IPv6 address next to its IPv4 one, on two networks (management, vm-to-vm).
// The public IP shown is the IPv4 one, and without an inventory the private IP is the IPv4 address
// of networks.private_subnet, never IPv6 or the vm-to-vm address. Real SDK over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScalewayClient } from '../../src/adapters/scaleway/client.js';
import { resolveScalewayCredentials } from '../../src/adapters/scaleway/credentials.js';
import { readScaleway } from '../../src/adapters/scaleway/servers.js';
import { parseConfig } from '../../src/config/load.js';
import { joinCluster } from '../../src/health/join.js';
import { fakeServer, startFakeScw, type FakeScw } from '../harness/fake-scw-http.js';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const PROJECT = '11111111-1111-1111-1111-111111111111';
let fake: FakeScw;
beforeAll(async () => {
  fake = await startFakeScw();
});
afterAll(async () => {
  await fake.close();
});

const ipam = (id: string, address: string, nic: string) => ({
  id, address, project_id: PROJECT, is_ipv6: address.includes(':'), tags: [], reverses: [], region: 'fr-par', zone: null,
  created_at: '2025-12-09T10:20:00Z', updated_at: '2025-12-09T10:20:00Z', source: { private_network_id: nic.startsWith('spn-m') ? 'pn-m' : 'pn-v' },
  resource: { type: 'baremetal_private_nic', id: nic, mac_address: '02:00:00:00:00:01', name: null },
});

describe('a server whose API answer lists IPv6 first', () => {
  it('shows the IPv4 public address first and picks the management IPv4 as the private IP', async () => {
    const s = fakeServer(1, {
      name: 'prod-fe',
      tags: ['onedeck', 'cluster=prod', 'host=fe'],
      ips: [
        { id: 'ip6-1', address: '2001:bc8:1201:14:3eec:efff:fe4c:2a10', reverse: '', version: 'IPv6', reverse_status: 'active', reverse_status_message: '' },
        { id: 'ip4-1', address: '51.159.120.17', reverse: '', version: 'IPv4', reverse_status: 'active', reverse_status_message: '' },
      ],
    });
    fake.servers.push(s);
    const sid = s.id as string;
    // the vm-to-vm attachment first, and IPv6 before IPv4 on each NIC
    fake.serverPrivateNetworks.push(
      { id: 'spn-v', project_id: PROJECT, server_id: sid, private_network_id: 'pn-v', vlan: 1892, status: 'attached', ipam_ip_ids: ['ipam-v6', 'ipam-v4'], created_at: null, updated_at: null },
      { id: 'spn-m', project_id: PROJECT, server_id: sid, private_network_id: 'pn-m', vlan: 1891, status: 'attached', ipam_ip_ids: ['ipam-m6', 'ipam-m4'], created_at: null, updated_at: null },
    );
    fake.ipamIps.push(
      ipam('ipam-v6', 'fd5f:519c:6d46:2728::2/64', 'spn-v'),
      ipam('ipam-v4', '172.16.24.2/22', 'spn-v'),
      ipam('ipam-m6', 'fd63:256c:45f7:8f0b::2/64', 'spn-m'),
      ipam('ipam-m4', '10.16.0.2/20', 'spn-m'),
    );
    const creds = resolveScalewayCredentials(
      { scaleway: { zone: 'fr-par-2', region: 'fr-par', project_id: PROJECT, offer: 'EM', profile: undefined, config_path: undefined } },
      { SCW_ACCESS_KEY: fakeAccessKey('X'), SCW_SECRET_KEY: fakeSecretKey('2'), SCW_API_URL: fake.url },
    );
    const data = await readScaleway(createScalewayClient(creds, { timeoutMs: 2000, retries: 0, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} }), { zone: 'fr-par-2', region: 'fr-par', projectId: PROJECT });
    const v = data.servers[0];
    expect(v.publicIps).toEqual(['51.159.120.17', '2001:bc8:1201:14:3eec:efff:fe4c:2a10']);

    const config = parseConfig(
      'cluster: prod\nscaleway: { zone: fr-par-2, project_id: 11111111-1111-1111-1111-111111111111 }\nfrontend: { name: fe }\nnetworks: { private_subnet: 10.16.0.0/20, vmtovm_subnet: 172.16.24.0/22 }\n',
      '/tmp/onedeck.yaml',
    );
    // no inventory: the private IP comes from Scaleway's view
    const { rows } = joinCluster({ config, scaleway: data, probes: {}, sshTargets: {}, repoHasHooks: false, now: data.at });
    expect(rows[0].privateIp).toBe('10.16.0.2');
  });
});
