// Renders the Ansible inventory (one-deploy's groups `frontend` and `node`, the Flexible-IP hook
// variables, the per-host network facts network.yml needs) from the tofu `inventory` output.
// Secrets are never written: the file holds Jinja lookups of variables that the job runner sets in
// ansible-playbook's environment only. Ansible reads inventories as YAML 1.1 (PyYAML), so the file is
// written with YAML 1.1 rules: every string 1.1 would read as something else (NO, 6.10, a MAC of
// digits, read as base 60) is quoted. Every variable here is read by OneDeploy or by ansible/.
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Config, HostConfig } from '../../config/schema.js';
import type { InventoryHost, InventoryOutput } from '../../domain/inventory.js';
import { OnedeckError } from '../../errors.js';

export const ONE_PASSWORD_ENV = 'ONE_PASSWORD';
export const FLEXIBLE_IP_TOKEN_ENV = 'SCW_FLEXIBLE_IP_TOKEN';

/** Names shared with ansible/network.yml and validation: keep them in one place. */
export const NET = {
  publicBridge: 'br0',
  privateVlanIf: 'hosttohost',
  vmtovmVlanIf: 'vmtovm',
  vmtovmBridge: 'brvmtovm',
  /** the VNet names one-deploy creates; validation's connectivity matrix uses `vmtovm` */
  publicVnet: 'pubridge',
  overlayVnet: 'vmtovm',
  overlayBridge: 'vmtovm0',
} as const;

/** Flexible IPs route through the zone's gateway; Paris zones use 62.210.0.1. */
const FIP_GATEWAY_BY_ZONE_PREFIX: Record<string, string> = { 'fr-par': '62.210.0.1' };

export interface RenderOptions {
  /** gateway given to VMs on the public VNet; default: by zone, else .1 of the frontend's public /24 */
  flexibleIpGateway?: string;
  dns?: string[];
  /** guest addresses of the VXLAN overlay VNet (not a Scaleway network) */
  overlay?: { network: string; prefix: number; first: string; size: number };
}

export function flexibleIpGateway(zone: string, frontendPublicIp: string): string {
  const known = FIP_GATEWAY_BY_ZONE_PREFIX[zone.replace(/-\d+$/, '')];
  if (known) return known;
  const octets = frontendPublicIp.split('.');
  return octets.length === 4 ? `${octets.slice(0, 3).join('.')}.1` : '';
}

function prefixOf(cidr: string): number {
  return Number(cidr.split('/')[1]);
}

function maskOf(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join('.');
}

function hostVars(h: InventoryHost, cfg: HostConfig | undefined, config: Config): Record<string, unknown> {
  const vars: Record<string, unknown> = {
    // one-deploy registers the OpenNebula host by ansible_host and writes it to /etc/hosts
    ansible_host: h.private_ip,
    // the SSH connection goes to ansible_ssh_host (it wins over ansible_host for the address)
    ansible_ssh_host: cfg?.ssh?.host ?? h.public_ip,
  };
  if (cfg?.ssh?.port && cfg.ssh.port !== 22) vars.ansible_port = cfg.ssh.port;
  Object.assign(vars, {
    // hooks.yml: the zoned server id the hooks attach Flexible IPs to
    scw_server_id: h.server_id,
    // network.yml and templates/netplan.yaml.j2
    onedeck_private_ip: h.private_ip,
    onedeck_private_prefix: prefixOf(config.networks.private_subnet),
    onedeck_private_vlan: h.private_vlan ?? null,
    onedeck_vmtovm_ip: h.vmtovm_ip,
    onedeck_vmtovm_prefix: prefixOf(config.networks.vmtovm_subnet),
    onedeck_vmtovm_vlan: h.vmtovm_vlan ?? null,
  });
  return vars;
}

/** The inventory as the values onedeck means (renderInventory writes it). */
export function inventoryDoc(inv: InventoryOutput, config: Config, opts: RenderOptions = {}): Record<string, unknown> {
  const fe = inv.frontend;
  const byName = new Map<string, HostConfig>([config.frontend, ...config.hypervisors].map((h) => [h.name, h]));
  const dns = opts.dns ?? ['76.76.2.2'];
  const gateway = opts.flexibleIpGateway ?? flexibleIpGateway(inv.zone, fe.public_ip);
  const overlay = opts.overlay ?? { network: '10.1.2.0', prefix: 24, first: '10.1.2.100', size: 48 };

  const allVars: Record<string, unknown> = {
    ansible_user: config.ssh.user,
    ansible_python_interpreter: '/usr/bin/python3',
    ...(config.ssh.key ? { ansible_ssh_private_key_file: config.ssh.key } : {}),
    ensure_keys_for: ['root'],
    // safe with stable names: a host is never renamed by a removal elsewhere
    ensure_hostname: true,
    ensure_hosts: true,
    unattend_disable: true,
    update_pkg_cache: true,
    features: { evpn: false },
    one_version: String(config.opennebula.version),
    one_pass: `{{ lookup('env', '${ONE_PASSWORD_ENV}') }}`,
    db_backend: 'MariaDB',
    // hooks.yml writes it to each node for the hooks
    scw_flexible_ip_token: `{{ lookup('env', '${FLEXIBLE_IP_TOKEN_ENV}') }}`,
    // network.yml: the resolvers when a host has none of its own
    scw_flexible_ip_dns: dns,
    vn: {
      [NET.publicVnet]: {
        managed: true,
        template: {
          VN_MAD: 'bridge',
          // br0 already holds the physical NIC (network.yml), so no PHYDEV has to be named
          BRIDGE: NET.publicBridge,
          AR: { TYPE: 'IP4', IP: fe.flexible_ip, SIZE: 1, MAC: fe.flexible_ip_mac },
          DNS: dns.join(' '),
          NETWORK_MASK: '255.255.255.255',
          GATEWAY: gateway,
          FILTER_IP_SPOOFING: 'NO',
          FILTER_MAC_SPOOFING: 'NO',
        },
      },
      [NET.overlayVnet]: {
        managed: true,
        template: {
          VN_MAD: 'vxlan',
          // the bridge holding each host's vm-to-vm address, created by network.yml on every node
          PHYDEV: NET.vmtovmBridge,
          BRIDGE: NET.overlayBridge,
          GUEST_MTU: 1450,
          AR: { TYPE: 'IP4', IP: overlay.first, SIZE: overlay.size },
          NETWORK_ADDRESS: overlay.network,
          NETWORK_MASK: maskOf(overlay.prefix),
          FILTER_IP_SPOOFING: 'NO',
          FILTER_MAC_SPOOFING: 'NO',
        },
      },
    },
  };

  const feVars = {
    ...hostVars(fe, byName.get(fe.name), config),
    gate_endpoint: `http://${fe.public_ip}:5030`,
  };
  const nodes: Record<string, unknown> = { [fe.name]: {} };
  for (const name of Object.keys(inv.hypervisors).sort()) {
    nodes[name] = hostVars(inv.hypervisors[name], byName.get(name), config);
  }
  return {
    all: {
      vars: allVars,
      children: {
        frontend: { hosts: { [fe.name]: feVars } },
        // the frontend is also a KVM node; its variables are set once, under frontend
        node: { hosts: nodes },
      },
    },
  };
}

export function renderInventory(inv: InventoryOutput, config: Config, opts: RenderOptions = {}): string {
  const header =
    `# Generated by onedeck from \`tofu output -json inventory\` for cluster ${inv.cluster_name}. Do not edit:\n` +
    `# it is rewritten on every apply. Secrets are not stored here; ${ONE_PASSWORD_ENV} and\n` +
    `# ${FLEXIBLE_IP_TOKEN_ENV} are read from the environment of ansible-playbook.\n`;
  // YAML 1.1 rules, as Ansible reads it: "NO", "6.10", "52:54:00:12:34:56" stay quoted strings
  return header + stringify(inventoryDoc(inv, config, opts), { version: '1.1', lineWidth: 0 });
}

/** Write the inventory atomically (temp file in the same directory, then rename), mode 0600. */
export async function writeInventory(path: string, yamlText: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(tmp, yamlText, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new OnedeckError(`cannot write the Ansible inventory ${path}: ${(cause as Error).message}.`, {
      hint: 'Check that the ansible directory (paths.ansible in onedeck.yaml) exists and is writable.',
      cause,
    });
  }
}
