import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVmPool } from '../../src/adapters/opennebula/vms.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/opennebula/${name}`, import.meta.url), 'utf8'));

describe('parseVmPool', () => {
  it('reads many VMs: state, current host (last history record) and NIC IPs', () => {
    const vms = parseVmPool(fixture('onevm-list-many.json'));
    expect(vms.map((v) => [v.id, v.stateName, v.hostName ?? null])).toEqual([
      ['3', 'RUNNING', '10.16.0.2'],
      ['5', 'RUNNING', '10.16.0.3'],
      ['7', 'POWEROFF', '10.16.0.2'],
      ['9', 'PENDING', null],
    ]);
    expect(vms[0].ips).toEqual(['51.159.10.20', '10.1.2.100']);
    expect(vms[1].ips).toEqual(['10.1.2.101']);
    expect(vms[3].ips).toEqual([]);
  });

  it('reads the single-VM object form and the empty pool', () => {
    const one = parseVmPool(fixture('onevm-list-one.json'));
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ id: '3', hostName: '10.16.0.2', hostId: '0', ips: ['51.159.10.20'] });
    expect(parseVmPool(fixture('onevm-list-empty.json'))).toEqual([]);
  });
});
