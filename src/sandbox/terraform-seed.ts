// The default sandbox cluster exists before any apply, so it comes with what a real apply of
// terraform/ would have left: the API objects in the shape the module gives them (VPC, SSH key,
// tags, descriptions, the Private Network option) and a terraform.tfstate (format 4) naming every
// managed resource with every attribute the provider reads back for it (read by the provider's own
// functions, in-process), with the `inventory` output. So the first plan of the default cluster
// finds no drift and no changes, as after a real apply.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUTS_FILE } from '../adapters/tofu/outputs.js';
import { whichSync } from '../adapters/tools.js';
import { buildInventory, clusterFips, clusterServers, networksOf, tagOf } from './inventory-from-wire.js';
import { PRIVATE_NETWORK_OPTION } from './scaleway-api/catalog.js';
import { makeSshKey } from './scaleway-api/ipam-iam.js';
import { makeVpc } from './scaleway-api/vpc.js';
import { inProcessSend } from './scaleway-api/in-process.js';
import { RESOURCES } from './provider/service.js';
import { clientOver } from './provider/scw-http.js';
import { refreshState, schemaVersion, sensitivePaths, upgradeState } from './provider/state-read.js';
import type { ProviderCtx } from './provider/types.js';
import type { Obj } from './provider/values.js';
import type { SandboxStateStore } from './state.js';
import { writeFileAtomic } from './state.js';
import type { SandboxState } from './state-types.js';

export const STATE_FILE = 'terraform.tfstate';

function ctyType(v: unknown): unknown {
  if (v === null) return 'dynamic';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(ctyType)];
  return ['object', Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, ctyType(x)]))];
}

/** Give the cluster's objects the names, tags and links terraform/ would have created them with. */
export function shapeClusterObjects(s: SandboxState, sshPublicKey: string, now: number): { sshKeyId: string; vpcId: string } {
  const cluster = s.cluster;
  const tags = ['onedeck', `cluster=${cluster}`];
  const nets = networksOf(s, cluster);
  const vpcId = nets.management?.vpc_id ?? randomUUID();
  s.vpcs ??= [];
  if (!s.vpcs.some((v) => v.id === vpcId)) s.vpcs.push(makeVpc(s, { id: vpcId, name: `${cluster}-vpc`, region: s.region, tags, routing: true, now }));
  for (const pn of [nets.management, nets.vmtovm]) if (pn) pn.tags = [...tags];
  s.sshKeys ??= [];
  let key = s.sshKeys.find((k) => k.name === `${cluster}-onedeck`);
  if (!key) {
    key = makeSshKey(s, `${cluster}-onedeck`, sshPublicKey, s.projectId, now);
    s.sshKeys.push(key);
  }
  for (const [host, srv] of clusterServers(s, cluster)) {
    const role = tagOf(srv.tags, 'role') ?? 'hypervisor';
    srv.tags = [...tags, `role=${role}`, `host=${host}`];
    srv.description = `onedeck ${role} ${host} of ${cluster}`;
    if (!(srv.options as { id: string }[]).some((o) => o.id === PRIVATE_NETWORK_OPTION.id)) {
      srv.options = [...srv.options, { id: PRIVATE_NETWORK_OPTION.id, name: PRIVATE_NETWORK_OPTION.name, status: 'option_status_enabled', manageable: true, expires_at: null }];
    }
    if (srv.install) {
      srv.install.hostname = host;
      srv.install.ssh_key_ids = [key.id];
    }
    for (const spn of s.serverPrivateNetworks.filter((p) => p.server_id === srv.id)) {
      for (const ip of s.ipamIps.filter((x) => spn.ipam_ip_ids.includes(x.id))) ip.tags = [...tags, `host=${host}`];
    }
  }
  return { sshKeyId: key.id, vpcId };
}

type Instance = { index_key?: string; schema_version: number; attributes: Obj; sensitive_attributes: ReturnType<typeof sensitivePaths>; dependencies?: string[] };
type Wanted = { index_key?: string; attributes: Obj; dependencies: string[] };

/** The provider's context for reading the sandbox's objects in-process (no HTTP, no gRPC). */
export function inProcessCtx(store: SandboxStateStore): ProviderCtx {
  const s = store.get();
  return { api: clientOver(inProcessSend(store)), zone: s.zone, region: s.region, projectId: s.projectId, signal: new AbortController().signal, pollMs: 0 };
}

/**
 * What an apply leaves in the state for one resource instance: the provider's refresh of it, read
 * from the sandbox API by the provider's own functions, so a plan's refresh finds nothing changed.
 * `known` holds the id and what the configuration sets that the API does not return (hostname).
 */
async function instanceOf(ctx: ProviderCtx, type: string, w: Wanted): Promise<Instance | null> {
  const r = RESOURCES[type];
  const attributes = await refreshState(r, ctx, upgradeState(r, w.attributes));
  if (!attributes) return null;
  return { ...(w.index_key ? { index_key: w.index_key } : {}), schema_version: schemaVersion(r), attributes, sensitive_attributes: sensitivePaths(r), dependencies: w.dependencies };
}

/** terraform.tfstate for the cluster as it stands: every attribute as the provider reads it. */
export async function tfStateFor(store: SandboxStateStore, o: { sshKeyId: string; vpcId: string; frontend: string; providerHost: string }): Promise<Record<string, unknown>> {
  const s = store.get();
  const ctx = inProcessCtx(store);
  const cluster = s.cluster;
  const nets = networksOf(s, cluster);
  const servers = [...clusterServers(s, cluster)].sort(([a], [b]) => a.localeCompare(b));
  const fips = clusterFips(s, cluster);
  const provider = `provider["${o.providerHost}/scaleway/scaleway"]`;
  const res = async (type: string, name: string, wanted: Wanted[], each = true) => {
    const instances = (await Promise.all(wanted.map((w) => instanceOf(ctx, type, w)))).filter((i): i is Instance => i !== null);
    return { mode: 'managed', type, name, provider, ...(each ? { each: 'map' } : {}), instances };
  };
  const inst = (attributes: Obj, dependencies: string[], index_key?: string): Wanted => ({ ...(index_key ? { index_key } : {}), attributes, dependencies });
  const ipOf = (srvId: string, pnId: string | undefined) => {
    const spn = s.serverPrivateNetworks.find((p) => p.server_id === srvId && p.private_network_id === pnId);
    return spn?.ipam_ip_ids[0];
  };
  const netDeps = ['scaleway_vpc.main', 'scaleway_vpc_private_network.management', 'scaleway_vpc_private_network.vmtovm'];
  const srvDeps = ['scaleway_iam_ssh_key.operator', 'scaleway_ipam_ip.management', 'scaleway_ipam_ip.vmtovm', ...netDeps];
  const ipam = (name: 'management' | 'vmtovm') =>
    res(
      'scaleway_ipam_ip',
      name,
      servers.flatMap(([host, srv]) => {
        const id = ipOf(srv.id, nets[name]?.id);
        return id ? [inst({ id: `${s.region}/${id}` }, ['scaleway_vpc.main', `scaleway_vpc_private_network.${name}`], host)] : [];
      }),
    );
  const inventory = buildInventory(s, { cluster, zone: s.zone, region: s.region, projectId: s.projectId, frontend: o.frontend });
  return {
    version: 4,
    terraform_version: '1.8.0',
    serial: 1,
    lineage: randomUUID(),
    outputs: inventory ? { inventory: { value: inventory, type: ctyType(inventory) } } : {},
    resources: await Promise.all([
      res('scaleway_baremetal_server', 'host', servers.map(([host, srv]) => inst({ id: `${srv.zone}/${srv.id}`, hostname: host }, srvDeps, host))),
      res('scaleway_flexible_ip', 'host', servers.flatMap(([host]) => { const f = fips.get(host); return f ? [inst({ id: `${f.zone}/${f.id}` }, [...srvDeps, 'scaleway_baremetal_server.host'], host)] : []; })),
      res('scaleway_flexible_ip_mac_address', 'host', servers.flatMap(([host]) => { const f = fips.get(host); return f?.mac_address ? [inst({ id: `${f.zone}/${f.id}` }, [...srvDeps, 'scaleway_baremetal_server.host', 'scaleway_flexible_ip.host'], host)] : []; })),
      res('scaleway_iam_ssh_key', 'operator', [inst({ id: o.sshKeyId }, [])], false),
      ipam('management'),
      ipam('vmtovm'),
      res('scaleway_vpc', 'main', [inst({ id: `${s.region}/${o.vpcId}` }, [])], false),
      ...(['management', 'vmtovm'] as const).flatMap((n) => (nets[n] ? [res('scaleway_vpc_private_network', n, [inst({ id: `${s.region}/${nets[n]!.id}` }, ['scaleway_vpc.main'])], false)] : [])),
    ]),
    check_results: null,
  };
}

/** The stand-in tofu of earlier sandboxes left a lock file with this made-up hash. */
const STAND_IN_HASH = 'h1:3Zt0q3kVjGmWcHSTdWDEvyDd2HQLH1JmDZWw0ELL8wQ=';
export function madeByStandIn(tfDir: string): boolean {
  const lock = join(tfDir, '.terraform.lock.hcl');
  return existsSync(lock) && readFileSync(lock, 'utf8').includes(STAND_IN_HASH);
}

/**
 * The lineage of a state an earlier sandbox seeded with ids only (never applied since: serial 1,
 * written as by 1.8.0), which every plan would report as drifted; null for any other state.
 */
function idsOnlySeed(file: string): string | null {
  try {
    const st = JSON.parse(readFileSync(file, 'utf8')) as { serial?: number; terraform_version?: string; lineage?: string; resources?: { instances?: { attributes?: object }[] }[] };
    const idsOnly = (st.resources ?? []).some((r) => (r.instances ?? []).some((i) => Object.keys(i.attributes ?? {}).length <= 2));
    return st.serial === 1 && st.terraform_version === '1.8.0' && idsOnly && st.lineage ? st.lineage : null;
  } catch {
    return null;
  }
}

/** Seed terraform/ of a sandbox whose cluster has never been applied by a real tofu/terraform (or re-seed an ids-only seed). */
export async function seedTerraformState(store: SandboxStateStore, tfDir: string, o: { sshPublicKey: string; frontend: string }): Promise<void> {
  const file = join(tfDir, STATE_FILE);
  const lineage = existsSync(file) ? idsOnlySeed(file) : undefined;
  if (lineage === null) return;
  const ids = store.update((s) => shapeClusterObjects(s, o.sshPublicKey, store.now()));
  const providerHost = whichSync('tofu') ? 'registry.opentofu.org' : 'registry.terraform.io';
  const state = await tfStateFor(store, { ...ids, frontend: o.frontend, providerHost });
  if (lineage) state.lineage = lineage;
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', 0o600);
  // what `tofu output -json` prints for it, as an apply job leaves it: onedeck reads the inventory
  // from this cache, so the sandbox works even without tofu or terraform on PATH
  const outputs = Object.fromEntries(Object.entries(state.outputs as Record<string, { value: unknown; type: unknown }>).map(([k, o]) => [k, { sensitive: false, type: o.type, value: o.value }]));
  writeFileAtomic(join(tfDir, OUTPUTS_FILE), JSON.stringify(outputs, null, 2) + '\n', 0o600);
}
