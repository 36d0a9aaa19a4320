// Reads terraform/*.tf as HCL (no tofu binary needed) and checks the module's shape: hosts keyed by
// name with for_each, the version floor, the `inventory` output contract, and that variables.tf
// declares exactly the keys onedeck writes to onedeck.auto.tfvars.json.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildTfvars } from '../../src/adapters/tofu/tfvars.js';
import type { InventoryHost, InventoryOutput } from '../../src/domain/inventory.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TF = join(ROOT, 'terraform');
const FIXTURE = join(ROOT, 'test/fixtures/infra/onedeck.yaml');
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq4fJ6zv0L6tQ0m6p7kzq1cX7Q2m4o9xvZ8bXq9c0dE op@laptop';

// exhaustive at compile time: adding a field to the contract breaks this until the test knows it
const HOST_FIELDS: Record<keyof InventoryHost, true> = {
  name: true, server_id: true, public_ip: true, private_ip: true, vmtovm_ip: true, private_vlan: true,
  vmtovm_vlan: true, flexible_ip: true, flexible_ip_id: true, flexible_ip_mac: true,
};
const OUTPUT_FIELDS: Record<keyof InventoryOutput, true> = {
  cluster_name: true, zone: true, project_id: true, private_network_id: true, vmtovm_private_network_id: true,
  frontend: true, hypervisors: true,
};

type Hcl = Record<string, any>;
const files: Record<string, Hcl> = {};
const merged = { variable: {} as Hcl, resource: {} as Record<string, Hcl>, output: {} as Hcl, locals: [] as Hcl[], terraform: [] as Hcl[] };

beforeAll(async () => {
  for (const f of readdirSync(TF).filter((n) => n.endsWith('.tf'))) {
    const doc = (await parse(f, readFileSync(join(TF, f), 'utf8'))) as Hcl;
    files[f] = doc;
    Object.assign(merged.variable, doc.variable ?? {});
    Object.assign(merged.output, doc.output ?? {});
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      merged.resource[type] = { ...(merged.resource[type] ?? {}), ...(byName as Hcl) };
    }
    merged.locals.push(...(doc.locals ?? []));
    merged.terraform.push(...(doc.terraform ?? []));
  }
});

const local = (name: string): string => {
  const block = merged.locals.find((l) => name in l);
  if (!block) throw new Error(`local.${name} is not declared`);
  return JSON.stringify(block[name]);
};

describe('terraform/ HCL', () => {
  it('has the files of the module layout, each parsing as HCL', async () => {
    expect(Object.keys(files).sort()).toEqual(
      ['flexible-ips.tf', 'network.tf', 'outputs.tf', 'servers.tf', 'ssh-key.tf', 'variables.tf', 'versions.tf'].sort(),
    );
    // the documented team backend parses too
    const backend = (await parse('backend-s3.tf', readFileSync(join(TF, 'backend-s3.tf.example'), 'utf8'))) as Hcl;
    const s3 = backend.terraform[0].backend.s3[0];
    expect(s3.endpoints.s3).toMatch(/^https:\/\/s3\.[a-z-]+\.scw\.cloud$/);
    expect(JSON.stringify(s3)).not.toContain('${var.');
  });

  it('requires OpenTofu/Terraform >= 1.8 and pins the scaleway provider', () => {
    const tf = merged.terraform[0];
    const m = /^>=\s*(\d+)\.(\d+)/.exec(tf.required_version);
    expect(m, tf.required_version).not.toBeNull();
    expect(Number(m![1]) * 100 + Number(m![2])).toBeGreaterThanOrEqual(108);
    expect(tf.required_providers[0].scaleway.source).toBe('scaleway/scaleway');
    expect(tf.required_providers[0].scaleway.version).toMatch(/\d+\.\d+/);
    expect(merged.terraform.every((t) => !t.backend)).toBe(true); // local state unless a team opts in
  });

  it('keys every host by its name: local.hosts maps the frontend name and each hypervisor name', () => {
    const hosts = local('hosts');
    expect(hosts).toContain('(var.frontend_name) =');
    expect(hosts).toMatch(/for name in var\.hypervisors : name =>/);
    expect(merged.variable.hypervisors[0].type).toBe('${set(string)}');
  });

  it('creates servers, private addresses, Flexible IPs and MACs with for_each over the hosts, never count', () => {
    const perHost = ['scaleway_baremetal_server', 'scaleway_ipam_ip', 'scaleway_flexible_ip', 'scaleway_flexible_ip_mac_address'];
    for (const type of perHost) {
      const byName = merged.resource[type];
      expect(byName, type).toBeDefined();
      for (const [name, blocks] of Object.entries(byName)) {
        expect((blocks as Hcl[])[0].for_each, `${type}.${name}`).toBe('${local.hosts}');
      }
    }
    for (const [type, byName] of Object.entries(merged.resource)) {
      for (const [name, blocks] of Object.entries(byName)) expect((blocks as Hcl[])[0].count, `${type}.${name}`).toBeUndefined();
    }
    // dependants follow the same key, so removing kvm-2 removes kvm-2's FIP and MAC only
    const fip = merged.resource.scaleway_flexible_ip.host[0];
    expect(fip.server_id).toBe('${scaleway_baremetal_server.host[each.key].id}');
    expect(fip.lifecycle[0].ignore_changes).toEqual(['${server_id}']);
    const mac = merged.resource.scaleway_flexible_ip_mac_address.host[0];
    expect(mac.flexible_ip_id).toBe('${scaleway_flexible_ip.host[each.key].id}');
    expect(mac.type).toBe('kvm');
    const server = merged.resource.scaleway_baremetal_server.host[0];
    expect(server.private_network.map((p: Hcl) => p.ipam_ip_ids[0])).toEqual([
      '${scaleway_ipam_ip.management[each.key].id}',
      '${scaleway_ipam_ip.vmtovm[each.key].id}',
    ]);
    expect(server.project_id).toBe('${var.project_id}');
    // an os or ssh key change is applied by reinstalling the server (an "update", no typed confirmation)
    expect(server.lifecycle[0].ignore_changes).toEqual(['${os}', '${ssh_key_ids}']);
  });

  it('exposes one output, `inventory`, with the fields of InventoryOutput and InventoryHost', () => {
    expect(Object.keys(merged.output)).toEqual(['inventory']);
    const value = merged.output.inventory[0].value as Hcl;
    expect(Object.keys(value).sort()).toEqual(Object.keys(OUTPUT_FIELDS).sort());
    expect(value.frontend).toBe('${local.inventory_hosts[var.frontend_name]}');
    expect(value.hypervisors).toContain('local.inventory_hosts');
    const hostExpr = local('inventory_hosts');
    const fields = [...hostExpr.matchAll(/\\n\s+(\w+)\s+=/g)].map((m) => m[1]);
    expect(fields.sort()).toEqual(Object.keys(HOST_FIELDS).sort());
  });

  it('declares exactly the variables onedeck writes, and none of them is a secret', () => {
    const config = parseConfig(readFileSync(FIXTURE, 'utf8'), FIXTURE);
    const vars = buildTfvars(config, KEY);
    expect(Object.keys(merged.variable).sort()).toEqual(Object.keys(vars).sort());
    for (const [name, blocks] of Object.entries(merged.variable)) {
      expect((blocks as Hcl[])[0].sensitive, name).toBeUndefined();
      expect((blocks as Hcl[])[0].description, name).toBeTruthy();
    }
    expect(vars).toMatchObject({ cluster_name: 'demo', zone: 'fr-par-2', region: 'fr-par', frontend_name: 'fe', hypervisors: ['kvm-1', 'kvm-2'], os_name: 'Ubuntu 24.04' });
  });
});
