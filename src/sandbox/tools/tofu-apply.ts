// Applying a plan the way the scaleway provider would: create/delete servers, Flexible IPs and
// MACs through the Scaleway API, waiting for server delivery, printing tofu's apply_* lines.
import type { WireSnapshot } from '../inventory-from-wire.js';
import { networksOf } from '../inventory-from-wire.js';
import type { WireFlexibleIp, WireServer } from '../state-types.js';
import { ScwHttpError, type ScwClient } from './scw-http.js';
import type { PlannedChange, Tfvars } from './tofu-model.js';
import { applyComplete, applyErrored, applyProgress, applyStart, diagnostic, resourceRef } from './tofu-ui.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const PROGRESS_EVERY_MS = 2000;

export async function fetchSnapshot(api: ScwClient, zone: string, region: string): Promise<WireSnapshot> {
  const [servers, fips, privateNetworks, serverPrivateNetworks, ipamIps] = await Promise.all([
    api.all<WireServer>(`/baremetal/v1/zones/${zone}/servers`, 'servers'),
    api.all<WireFlexibleIp>(`/flexible-ip/v1alpha1/zones/${zone}/fips`, 'flexible_ips'),
    api.all<WireSnapshot['privateNetworks'][number]>(`/vpc/v2/regions/${region}/private-networks`, 'private_networks'),
    api.all<WireSnapshot['serverPrivateNetworks'][number]>(`/baremetal/v3/zones/${zone}/server-private-networks`, 'server_private_networks'),
    api.all<WireSnapshot['ipamIps'][number]>(`/ipam/v1/regions/${region}/ips`, 'ips'),
  ]);
  return { servers, fips, privateNetworks, serverPrivateNetworks, ipamIps };
}

interface Ctx {
  api: ScwClient;
  vars: Tfvars;
  emit: (line: string) => void;
  signal: AbortSignal;
}

/** Run one resource operation with apply_start / apply_progress / apply_complete lines. */
async function step(ctx: Ctx, c: PlannedChange, idBefore: string | undefined, work: () => Promise<string | undefined>): Promise<boolean> {
  const r = resourceRef(c.type, c.name, c.key);
  const t0 = Date.now();
  ctx.emit(applyStart(r, c.action, c.action === 'delete' ? idBefore : undefined));
  const timer = setInterval(() => ctx.emit(applyProgress(r, c.action, Math.round((Date.now() - t0) / 1000), c.action === 'delete' ? idBefore : undefined)), PROGRESS_EVERY_MS);
  try {
    const id = await work();
    ctx.emit(applyComplete(r, c.action, Math.round((Date.now() - t0) / 1000), id));
    return true;
  } catch (err) {
    ctx.emit(applyErrored(r, c.action, Math.round((Date.now() - t0) / 1000)));
    const msg = err instanceof ScwHttpError ? err.message.replace(/ \(.*\)$/, '') : (err as Error).message;
    ctx.emit(diagnostic('error', msg, '', c.addr));
    return false;
  } finally {
    clearInterval(timer);
  }
}

async function until<T>(ctx: Ctx, get: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ctx.signal.aborted) throw new Error('execution halted');
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timeout while waiting for ${what}`);
    await sleep(300);
  }
}

async function retry409<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ScwHttpError) || err.status !== 409 || i > 20 || ctx.signal.aborted) throw err;
      await sleep(300);
    }
  }
}

async function createHost(ctx: Ctx, key: string, changes: PlannedChange[], snap: WireSnapshot): Promise<boolean> {
  const { api, vars } = ctx;
  const z = vars.zone;
  const want = (type: string, name = 'host') => changes.find((c) => c.type === type && c.name === name);
  const nets = networksOf(snap, vars.cluster_name);
  let ok = true;
  const ipamIds: Record<string, string> = {};
  for (const name of ['management', 'vmtovm'] as const) {
    const c = want('scaleway_ipam_ip', name);
    if (c) ok = (await step(ctx, c, undefined, async () => `${vars.region}/${(ipamIds[name] = crypto.randomUUID())}`)) && ok;
  }
  let serverId = snap.servers.find((s) => s.tags.includes(`host=${key}`) && s.tags.includes(`cluster=${vars.cluster_name}`))?.id;
  const cs = want('scaleway_baremetal_server');
  if (cs && ok) {
    ok = await step(ctx, cs, undefined, async () => {
      const role = key === vars.frontend_name ? 'frontend' : 'hypervisor';
      const srv = await api.call<WireServer>('POST', `/baremetal/v1/zones/${z}/servers`, {
        offer_id: '3ab0dc29-2fd4-486e-88bf-d08fbf49214b',
        project_id: vars.project_id,
        name: `${vars.cluster_name}-${key}`,
        description: `onedeck ${role} ${key} of ${vars.cluster_name}`,
        tags: ['onedeck', `cluster=${vars.cluster_name}`, `role=${role}`, `host=${key}`],
        install: { os_id: '7d1914e1-f4ab-4e0b-a2b7-2c8a7f6ac6e1', hostname: key, ssh_key_ids: [], user: 'ubuntu', password: null, service_user: null, service_password: null },
        option_ids: ['cd4158d7-2d65-49be-8803-c4b8ab6f760c'],
        protected: false,
      });
      serverId = srv.id;
      const per = Object.fromEntries([nets.management, nets.vmtovm].filter(Boolean).map((p) => [p!.id, []]));
      await api.call('PUT', `/baremetal/v3/zones/${z}/servers/${srv.id}/private-networks`, { per_private_network_ipam_ip_ids: per });
      await until(ctx, () => api.call<WireServer>('GET', `/baremetal/v1/zones/${z}/servers/${srv.id}`), (s) => s.status === 'ready' && s.install?.status === 'completed', `server ${srv.id} to be installed`);
      return `${z}/${srv.id}`;
    });
  }
  let fip = snap.fips.find((f) => f.tags.includes(`host=${key}`) && f.tags.includes(`cluster=${vars.cluster_name}`));
  const cf = want('scaleway_flexible_ip');
  if (cf && ok && serverId) {
    ok = await step(ctx, cf, undefined, async () => {
      fip = await api.call<WireFlexibleIp>('POST', `/flexible-ip/v1alpha1/zones/${z}/fips`, {
        project_id: vars.project_id,
        description: `${vars.cluster_name}-${key}-fip`,
        tags: ['onedeck', `cluster=${vars.cluster_name}`, `host=${key}`],
        server_id: serverId,
        is_ipv6: false,
      });
      const id = fip.id;
      await until(ctx, () => api.call<WireFlexibleIp>('GET', `/flexible-ip/v1alpha1/zones/${z}/fips/${id}`), (f) => f.status === 'attached' || f.status === 'ready', `flexible IP ${id}`);
      return `${z}/${id}`;
    });
  }
  const cm = want('scaleway_flexible_ip_mac_address');
  if (cm && ok && fip) {
    const id = fip.id;
    ok = await step(ctx, cm, undefined, async () => {
      await retry409(ctx, () => api.call('POST', `/flexible-ip/v1alpha1/zones/${z}/fips/${id}/mac`, { mac_type: 'kvm' }));
      return `${z}/${id}`;
    });
  }
  return ok;
}

async function deleteHost(ctx: Ctx, key: string, changes: PlannedChange[], snap: WireSnapshot, ids: (c: PlannedChange) => string | undefined): Promise<boolean> {
  const { api, vars } = ctx;
  const z = vars.zone;
  const want = (type: string, name = 'host') => changes.find((c) => c.type === type && c.name === name);
  const fip = snap.fips.find((f) => f.tags.includes(`host=${key}`) && f.tags.includes(`cluster=${vars.cluster_name}`));
  const server = snap.servers.find((s) => s.tags.includes(`host=${key}`) && s.tags.includes(`cluster=${vars.cluster_name}`));
  let ok = true;
  const cm = want('scaleway_flexible_ip_mac_address');
  if (cm && fip) ok = await step(ctx, cm, ids(cm), async () => void (await retry409(ctx, () => api.call('DELETE', `/flexible-ip/v1alpha1/zones/${z}/fips/${fip.id}/mac`))));
  const cf = want('scaleway_flexible_ip');
  if (cf && fip && ok) ok = await step(ctx, cf, ids(cf), async () => void (await retry409(ctx, () => api.call('DELETE', `/flexible-ip/v1alpha1/zones/${z}/fips/${fip.id}`))));
  const cs = want('scaleway_baremetal_server');
  if (cs && server && ok) {
    ok = await step(ctx, cs, ids(cs), async () => {
      await retry409(ctx, () => api.call('DELETE', `/baremetal/v1/zones/${z}/servers/${server.id}`));
      await until(
        ctx,
        () => api.call('GET', `/baremetal/v1/zones/${z}/servers/${server.id}`).then(() => false, (e: unknown) => e instanceof ScwHttpError && e.status === 404),
        (gone) => gone,
        `server ${server.id} to be deleted`,
      );
      return undefined;
    });
  }
  for (const name of ['management', 'vmtovm']) {
    const c = want('scaleway_ipam_ip', name);
    if (c && ok) ok = await step(ctx, c, ids(c), async () => undefined);
  }
  return ok;
}

/** Apply every change, hosts in parallel as tofu does; false when any resource errored. */
export async function applyChanges(
  ctx: Ctx,
  changes: PlannedChange[],
  snap: WireSnapshot,
  idOf: (c: PlannedChange) => string | undefined,
): Promise<boolean> {
  const byHost = new Map<string, PlannedChange[]>();
  for (const c of changes) byHost.set(c.key, [...(byHost.get(c.key) ?? []), c]);
  const results = await Promise.all(
    [...byHost].map(([key, cs]) => (cs[0].action === 'create' ? createHost(ctx, key, cs, snap) : deleteHost(ctx, key, cs, snap, idOf))),
  );
  return results.every(Boolean);
}
