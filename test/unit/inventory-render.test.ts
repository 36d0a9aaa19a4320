// renderInventory turns the tofu `inventory` output into one-deploy's inventory; writeInventory
// writes it atomically with mode 0600.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { flexibleIpGateway, inventoryDoc, renderInventory, writeInventory } from '../../src/adapters/ansible/inventory.js';
import { writeTfvars, buildTfvars } from '../../src/adapters/tofu/tfvars.js';
import type { InventoryOutput } from '../../src/domain/inventory.js';
import { expectAnsibleReadsAsMeant } from './ansible-roundtrip.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/infra/onedeck.yaml');
const config = parseConfig(readFileSync(FIXTURE, 'utf8'), FIXTURE);
const inv = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/infra/tofu-output.json'), 'utf8')).inventory.value as InventoryOutput;

let tmp = '';
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = '';
});

describe('renderInventory', () => {
  const text = renderInventory(inv, config);
  const doc = parse(text) as any;
  const all = doc.all;

  it('puts the frontend in `frontend` and in `node`, with hypervisors under their config names', () => {
    expect(Object.keys(all.children.frontend.hosts)).toEqual(['fe']);
    expect(Object.keys(all.children.node.hosts)).toEqual(['fe', 'kvm-1', 'kvm-2']);
    expect(text).not.toMatch(/host0\d/);
  });

  it('connects over the public IP and registers hosts by their private IP', () => {
    const fe = all.children.frontend.hosts.fe;
    expect(fe).toMatchObject({
      ansible_host: '10.16.0.2',
      ansible_ssh_host: '195.154.100.21',
      scw_server_id: 'fr-par-2/145d2bff-27d7-401d-b63e-6cf5ca3d9386',
      onedeck_private_vlan: 1891,
      onedeck_vmtovm_vlan: 1892,
      onedeck_private_prefix: 20,
      onedeck_vmtovm_prefix: 22,
    });
    expect(all.children.node.hosts['kvm-2']).toMatchObject({
      ansible_host: '10.16.0.4',
      ansible_ssh_host: '195.154.100.23',
      scw_server_id: 'fr-par-2/3c7f9a2b-4d5e-4f6a-8b1c-2d3e4f5a6b7c',
    });
  });

  it('carries what one-deploy needs, with the VNets fixed: zone-aware gateway, vxlan named vmtovm, no hard-coded NIC', () => {
    expect(all.vars).toMatchObject({ one_version: '7.0', db_backend: 'MariaDB', ansible_user: 'ubuntu' });
    expect(Object.keys(all.vars.vn).sort()).toEqual(['pubridge', 'vmtovm']);
    const pub = all.vars.vn.pubridge.template;
    expect(pub).toMatchObject({ VN_MAD: 'bridge', BRIDGE: 'br0', GATEWAY: '62.210.0.1', NETWORK_MASK: '255.255.255.255' });
    expect(pub.AR).toEqual({ TYPE: 'IP4', IP: '51.159.24.33', SIZE: 1, MAC: '52:54:00:2a:91:0c' });
    expect(pub.PHYDEV).toBeUndefined();
    const overlay = all.vars.vn.vmtovm.template;
    expect(overlay).toMatchObject({ VN_MAD: 'vxlan', PHYDEV: 'brvmtovm', NETWORK_MASK: '255.255.255.0', GUEST_MTU: 1450 });
    expect(text).not.toContain('enp5s0');
    expect(flexibleIpGateway('fr-par-1', '195.154.100.21')).toBe('62.210.0.1');
    expect(flexibleIpGateway('nl-ams-1', '51.15.7.9')).toBe('51.15.7.1');
    expect(parse(renderInventory(inv, config, { flexibleIpGateway: '10.0.0.1' })).all.vars.vn.pubridge.template.GATEWAY).toBe('10.0.0.1');
  });

  it('holds no secret: the password and token are environment lookups', () => {
    expect(all.vars.one_pass).toBe("{{ lookup('env', 'ONE_PASSWORD') }}");
    expect(all.vars.scw_flexible_ip_token).toBe("{{ lookup('env', 'SCW_FLEXIBLE_IP_TOKEN') }}");
    const secret = 'S3cr3t-0neadmin-pw';
    const token = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
    process.env.ONE_PASSWORD = secret;
    process.env.SCW_FLEXIBLE_IP_TOKEN = token;
    try {
      const again = renderInventory(inv, config);
      expect(again).not.toContain(secret);
      expect(again).not.toContain(token);
    } finally {
      delete process.env.ONE_PASSWORD;
      delete process.env.SCW_FLEXIBLE_IP_TOKEN;
    }
    expect(text).not.toMatch(/secret_key|SCW_SECRET_KEY|BEGIN .*PRIVATE KEY/);
  });

  it('uses an ssh endpoint from onedeck.yaml when one is given', () => {
    const c = parseConfig(
      readFileSync(FIXTURE, 'utf8').replace('hypervisors: [kvm-1, kvm-2]', 'hypervisors:\n  - kvm-1\n  - name: kvm-2\n    ssh: { host: 127.0.0.3, port: 2202 }'),
      FIXTURE,
    );
    const h = parse(renderInventory(inv, c)).all.children.node.hosts['kvm-2'];
    expect(h).toMatchObject({ ansible_ssh_host: '127.0.0.3', ansible_port: 2202, ansible_host: '10.16.0.4' });
  });
});

describe('Ansible reads the inventory back as onedeck meant it (ansible-inventory --list)', () => {
  it('the fixture cluster: every variable of every host, with its type', async () => {
    const view = await expectAnsibleReadsAsMeant(renderInventory(inv, config), inventoryDoc(inv, config));
    expect(view.groups.frontend).toEqual(['fe']);
    expect(view.groups.node).toEqual(['fe', 'kvm-1', 'kvm-2']);
    const fe = view.hostvars.fe as any;
    expect(fe.vn.pubridge.template.FILTER_IP_SPOOFING).toBe('NO');
    expect(fe.vn.vmtovm.template.FILTER_MAC_SPOOFING).toBe('NO');
    expect(fe.one_version).toBe('7.0');
    expect(fe.onedeck_private_vlan).toBe(1891);
  }, 20_000);

  it('a MAC of digits only (read as base 60 by YAML 1.1), version 6.10 and numeric-looking ids stay strings', async () => {
    const c = parseConfig(readFileSync(FIXTURE, 'utf8').replace('version: "7.0"', 'version: "6.10"'), FIXTURE);
    const tricky: InventoryOutput = structuredClone(inv);
    tricky.frontend.flexible_ip_mac = '52:54:00:12:34:56';
    tricky.frontend.server_id = 'fr-par-2/12345678-1234-1234-1234-123456789012';
    tricky.hypervisors['kvm-1'].name = 'kvm-1';
    const text = renderInventory(tricky, c, { dns: ['1.1.1.1', '8.8.8.8'] });
    const view = await expectAnsibleReadsAsMeant(text, inventoryDoc(tricky, c, { dns: ['1.1.1.1', '8.8.8.8'] }));
    const fe = view.hostvars.fe as any;
    expect(fe.vn.pubridge.template.AR.MAC).toBe('52:54:00:12:34:56');
    expect(fe.one_version).toBe('6.10');
    expect(fe.scw_server_id).toBe('fr-par-2/12345678-1234-1234-1234-123456789012');
  }, 20_000);

  it('a host endpoint from onedeck.yaml (ssh host and port) comes back with its types', async () => {
    const c = parseConfig(
      readFileSync(FIXTURE, 'utf8').replace('hypervisors: [kvm-1, kvm-2]', 'hypervisors:\n  - kvm-1\n  - name: kvm-2\n    ssh: { host: 127.0.0.3, port: 2202 }'),
      FIXTURE,
    );
    const view = await expectAnsibleReadsAsMeant(renderInventory(inv, c), inventoryDoc(inv, c));
    expect(view.hostvars['kvm-2']).toMatchObject({ ansible_port: 2202, ansible_ssh_host: '127.0.0.3' });
  }, 20_000);

  it('holds only variables that OneDeploy or ansible/ read', () => {
    const keys = new Set<string>();
    const all = inventoryDoc(inv, config).all as any;
    for (const k of Object.keys(all.vars)) keys.add(k);
    for (const g of Object.values(all.children) as any[]) for (const h of Object.values(g.hosts) as any[]) for (const k of Object.keys(h ?? {})) keys.add(k);
    for (const dead of ['ansible_environment', 'scw_project_id', 'scw_flexible_ip_zone', 'scw_flexible_ip_network_mask', 'scw_flexible_ip_gateway', 'onedeck_cluster', 'onedeck_public_ip', 'onedeck_flexible_ip', 'onedeck_flexible_ip_mac']) {
      expect(keys.has(dead), dead).toBe(false);
    }
    // every onedeck_*/scw_* variable left is read by a playbook or template of ansible/
    const ansibleText = ['hooks.yml', 'network.yml', 'site.yml', 'validate.yml', 'templates/netplan.yaml.j2'].map((f) => readFileSync(join(ROOT, 'ansible', f), 'utf8')).join('\n');
    for (const k of keys) if (/^(onedeck|scw)_/.test(k)) expect(ansibleText, k).toContain(k);
  });
});

describe('writeInventory / writeTfvars', () => {
  it('writes the inventory with mode 0600, replacing an existing file without leaving temp files', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'onedeck-inv-'));
    const path = join(tmp, 'ansible', 'inventory.yml');
    await writeInventory(path, 'all: {}\n');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    await writeInventory(path, renderInventory(inv, config));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(path, 'utf8')).all.children.node.hosts).toHaveProperty('kvm-1');
    expect(readdirSync(join(tmp, 'ansible'))).toEqual(['inventory.yml']);
  });

  it('writes onedeck.auto.tfvars.json with mode 0600', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'onedeck-tfvars-'));
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq4fJ6zv0L6tQ0m6p7kzq1cX7Q2m4o9xvZ8bXq9c0dE op@laptop';
    const path = await writeTfvars(tmp, buildTfvars(config, key));
    expect(path).toBe(join(tmp, 'onedeck.auto.tfvars.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ hypervisors: ['kvm-1', 'kvm-2'], ssh_public_key: key });
    expect(readdirSync(tmp)).toEqual(['onedeck.auto.tfvars.json']);
    expect(() => buildTfvars(config, 'not a key')).toThrow(/not an OpenSSH public key/);
  });
});
