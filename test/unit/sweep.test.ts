// One sweep over stubbed sources: what it keeps from earlier sweeps when a source fails.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { InventoryHost, InventoryOutput } from '../../src/domain/inventory.js';
import { Sweeper } from '../../src/health/sweep.js';

const config = parseConfig(
  'cluster: prod\nscaleway: { zone: fr-par-2, project_id: 11111111-1111-1111-1111-111111111111 }\nfrontend: { name: fe }\nhypervisors: [kvm-1]\n',
  '/tmp/onedeck.yaml',
);
const host = (name: string, n: number): InventoryHost => ({
  name, server_id: `fr-par-2/0000000${n}-0000-0000-0000-000000000000`, public_ip: `192.0.2.${n}`, private_ip: `10.16.0.${n}`, vmtovm_ip: `172.16.24.${n}`,
  flexible_ip: `198.51.100.${n}`, flexible_ip_id: `fip-${n}`, flexible_ip_mac: `52:54:00:00:00:0${n}`,
});
const inventory: InventoryOutput = {
  cluster_name: 'prod', zone: 'fr-par-2', project_id: '1', private_network_id: 'pn', vmtovm_private_network_id: 'pn2',
  frontend: host('fe', 1),
  hypervisors: { 'kvm-1': host('kvm-1', 2) },
};

describe('Sweeper', () => {
  it('keeps probing the last known addresses when the tofu outputs cannot be read this time', async () => {
    let inventoryFails = false;
    const probed: string[] = [];
    const sweeper = new Sweeper(config, {
      inventory: async () => {
        if (inventoryFails) throw new Error('`tofu output -json` failed: state is being written');
        return inventory;
      },
      repoHooks: () => ({}),
      scaleway: async () => ({ servers: [], flexibleIps: [], warnings: [], at: 1 }),
      opennebula: async () => ({ hosts: [], vms: [], at: 1 }),
      probe: async (key, ep) => {
        probed.push(`${key}@${ep.host}`);
        return { reachable: true, at: 1, lastOkAt: 1 };
      },
    });
    try {
      await sweeper.sweep();
      expect(probed.sort()).toEqual(['fe@192.0.2.1', 'kvm-1@192.0.2.2']);
      probed.length = 0;
      inventoryFails = true;
      const r = await sweeper.sweep();
      expect(r.sourceErrors.tofu).toMatch(/state is being written/);
      // the hosts did not lose their addresses: they are still probed, and no row says "no address"
      expect(probed.sort()).toEqual(['fe@192.0.2.1', 'kvm-1@192.0.2.2']);
      for (const row of r.rows) {
        expect(row.sshTarget).toBeDefined();
        expect(row.probe?.reachable).toBe(true);
        expect(row.verdict.reasons.join(' ')).not.toMatch(/no address/);
      }
    } finally {
      await sweeper.close();
    }
  });
});
