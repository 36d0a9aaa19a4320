// onedeck.yaml values that used to be accepted, and config messages that did not say enough.
import { describe, expect, it } from 'vitest';
import { Baremetal } from '@scaleway/sdk';
import { parseConfig } from '../../src/config/load.js';
import { ELASTIC_METAL_ZONES } from '../../src/config/schema.js';
import { OnedeckError } from '../../src/errors.js';

const good = `cluster: prod
scaleway:
  zone: fr-par-2
  project_id: 11111111-2222-3333-4444-555555555555
frontend:
  name: fe
networks:
  private_subnet: 10.16.0.0/20
  vmtovm_subnet: 172.16.24.0/22
`;

function errorOf(text: string): OnedeckError {
  try {
    parseConfig(text, '/etc/onedeck.yaml');
  } catch (e) {
    if (e instanceof OnedeckError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('networks', () => {
  it('accepts the defaults and a well-formed pair', () => {
    expect(parseConfig(good, '/etc/onedeck.yaml').networks).toEqual({ private_subnet: '10.16.0.0/20', vmtovm_subnet: '172.16.24.0/22' });
  });

  it('refuses a prefix longer than 32', () => {
    const e = errorOf(good.replace('10.16.0.0/20', '10.16.0.0/33'));
    expect(e.message).toBe('/etc/onedeck.yaml:8:19: networks.private_subnet has a prefix length of 33, more than 32, got "10.16.0.0/33".');
    expect(e.hint).toContain('private_subnet: 10.16.0.0/20');
    expect(e.exitCode).toBe(78);
  });

  it('refuses an address that is not IPv4 (999.16.0.0)', () => {
    const e = errorOf(good.replace('10.16.0.0/20', '999.16.0.0/20'));
    expect(e.message).toBe('/etc/onedeck.yaml:8:19: networks.private_subnet has 999.16.0.0, which is not an IPv4 address, got "999.16.0.0/20".');
  });

  it('refuses host bits set, and names the network meant', () => {
    const e = errorOf(good.replace('10.16.0.0/20', '10.16.5.7/20'));
    expect(e.message).toBe('/etc/onedeck.yaml:8:19: networks.private_subnet has host bits set (the network of 10.16.5.7/20 is 10.16.0.0/20), got "10.16.5.7/20".');
    expect(e.hint).toBe('Write:  private_subnet: 10.16.0.0/20');
  });

  it('refuses a private subnet equal to, or overlapping, the vm-to-vm subnet', () => {
    const same = errorOf(good.replace('172.16.24.0/22', '10.16.0.0/20'));
    expect(same.message).toBe('/etc/onedeck.yaml:9:18: networks.vmtovm_subnet overlaps networks.private_subnet (10.16.0.0/20), got "10.16.0.0/20".');
    expect(same.hint).toMatch(/two subnets that do not overlap/);
    const inside = errorOf(good.replace('172.16.24.0/22', '10.16.8.0/22'));
    expect(inside.message).toContain('networks.vmtovm_subnet overlaps networks.private_subnet (10.16.0.0/20)');
    // the default vm-to-vm subnet counts too
    const dflt = errorOf(good.replace('  vmtovm_subnet: 172.16.24.0/22\n', '').replace('10.16.0.0/20', '172.16.0.0/12'));
    expect(dflt.message).toContain('overlaps');
  });
});

describe('zone', () => {
  it('refuses a zone that has the right shape but does not exist (fr-par-9)', () => {
    const e = errorOf(good.replace('zone: fr-par-2', 'zone: fr-par-9'));
    expect(e.message).toBe(`/etc/onedeck.yaml:3:9: scaleway.zone is not a zone with Elastic Metal servers (${ELASTIC_METAL_ZONES.join(', ')}), got "fr-par-9".`);
    expect(e.hint).toContain('zone: fr-par-2');
  });

  it('knows the same zones as the Scaleway SDK', () => {
    expect([...ELASTIC_METAL_ZONES].sort()).toEqual([...(Baremetal.v1.API.LOCALITY as { zones: string[] }).zones].sort());
  });
});

describe('unclear config messages', () => {
  it('an unknown key is reported on its own line, with "did you mean"', () => {
    const text = `${good.replace('networks:\n  private_subnet: 10.16.0.0/20\n  vmtovm_subnet: 172.16.24.0/22\n', '')}hypervisors: [kvm-1]\nrefresh_secs: 30\n`;
    expect(text.split('\n')[7]).toBe('refresh_secs: 30');
    const e = errorOf(text);
    expect(e.message).toBe('/etc/onedeck.yaml:8:1: the top level has unknown key "refresh_secs" (did you mean "refresh_seconds"?).');
    expect(e.hint).toBe('Rename it to refresh_seconds.');
  });

  it('an unknown nested key: its position and the closest known key', () => {
    const e = errorOf(good.replace('  zone: fr-par-2', '  zone: fr-par-2\n  projectid: x'));
    expect(e.message).toBe('/etc/onedeck.yaml:4:3: scaleway has unknown key "projectid" (did you mean "project_id"?).');
    // a credential is still told where it belongs
    const cred = errorOf(good.replace('  zone: fr-par-2', '  zone: fr-par-2\n  secret_key: abc'));
    expect(cred.message).toMatch(/^\/etc\/onedeck.yaml:4:3: scaleway has unknown key "secret_key"/);
    expect(cred.hint).toContain('SCW_*');
  });

  it('a YAML alias bomb is a config error (78) naming the file', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++) bomb.push(`${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9).fill(`*${i === 0 ? 'a' : 'bcdefghij'[i - 1]}`).join(', ')}]`);
    const e = errorOf(bomb.join('\n'));
    expect(e.message).toMatch(/^\/etc\/onedeck.yaml: this YAML expands too many aliases/);
    expect(e.exitCode).toBe(78);
  });
});
