// IPAM v1 routes (reserve, get, update, release an IP) and IAM SSH keys (create, get, update,
// delete), as the Terraform provider calls them for terraform/.
import { createHash, randomUUID } from 'node:crypto';
import { addressesOf, hostIndexFor, tagValue } from '../state-default.js';
import type { SandboxState, WireIpamIp, WireSshKey } from '../state-types.js';
import { nowIso } from '../wire.js';
import { invalidArgument, notFound, sendJson, sendNoContent, type Route } from './http.js';

const UUID = '([0-9a-f-]{36})';
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The next free host address of an IPv4 subnet (network and first address reserved). */
function nextAddress(s: SandboxState, pnId: string, subnet: string): string | null {
  const [base, bitsText] = subnet.split('/');
  const bits = Number(bitsText);
  const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  // addresses a host had keep naming it (OpenNebula names hosts by address): never handed out again
  const used = new Set([
    ...s.ipamIps.filter((ip) => ip.source.private_network_id === pnId).map((ip) => ip.address.split('/')[0]),
    ...s.simHosts.map((h) => h.privateIp),
    ...s.one.hosts.map((h) => h.name),
  ]);
  for (let i = 2; i < 2 ** (32 - bits) - 1; i++) {
    const v = n + i;
    const addr = [24, 16, 8, 0].map((sh) => (v >>> sh) & 0xff).join('.');
    if (!used.has(addr)) return `${addr}/${bits}`;
  }
  return null;
}

/** The address the sandbox keeps for a host (tag host=NAME): its simulated host's, if still free. */
function plannedAddress(s: SandboxState, pnId: string, tags: string[]): string | null {
  const host = tagValue(tags, 'host');
  const i = s.privateNetworks.findIndex((p) => p.id === pnId);
  if (!host || i < 0 || i > 1) return null;
  const a = addressesOf(hostIndexFor(s, host));
  const sim = s.simHosts.find((h) => h.name === host);
  const [ip, bits] = i === 0 ? [sim?.privateIp ?? a.privateIp, s.privateNetworks[0].subnets[0].subnet.split('/')[1]] : [a.vmtovmIp, s.privateNetworks[1].subnets[0].subnet.split('/')[1]];
  const taken = s.ipamIps.some((x) => x.source.private_network_id === pnId && x.address.split('/')[0] === ip) || s.one.hosts.some((h) => h.name === ip && h.hostname !== host);
  return taken ? null : `${ip}/${bits}`;
}

function sshFingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return `256 SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')} ${publicKey.trim().split(/\s+/)[2] ?? ''} (${publicKey.split(' ')[0].replace('ssh-', '').toUpperCase()})`;
}

export function makeSshKey(s: Pick<SandboxState, 'projectId' | 'organizationId'>, name: string, publicKey: string, projectId: string, now: number): WireSshKey {
  const at = nowIso(now);
  return { id: randomUUID(), name, public_key: publicKey.trim(), fingerprint: sshFingerprint(publicKey), created_at: at, updated_at: at, organization_id: s.organizationId, project_id: projectId || s.projectId, disabled: false };
}

export const ipamIamRoutes: Route[] = [
  // --- IPAM
  {
    method: 'POST',
    path: /^\/ipam\/v1\/regions\/([a-z-]+)\/ips$/,
    handle({ res, store, params, body }) {
      const src = (body.source as Record<string, unknown> | undefined) ?? {};
      const pnId = typeof src.private_network_id === 'string' ? src.private_network_id : '';
      const pn = store.get().privateNetworks.find((p) => p.id === pnId);
      if (!pn) return invalidArgument(res, 'source.private_network_id', 'required', 'a private network is required');
      const ip = store.update((s) => {
        const requested = typeof body.address === 'string' && body.address ? `${body.address.split('/')[0]}/${pn.subnets[0].subnet.split('/')[1]}` : null;
        const address = requested ?? plannedAddress(s, pn.id, strings(body.tags)) ?? nextAddress(s, pn.id, pn.subnets[0].subnet);
        if (!address) return null;
        const at = nowIso(store.now());
        const x: WireIpamIp = {
          id: randomUUID(),
          address,
          project_id: typeof body.project_id === 'string' ? body.project_id : s.projectId,
          is_ipv6: false,
          created_at: at,
          updated_at: at,
          source: { private_network_id: pn.id },
          resource: { type: '', id: '', mac_address: '', name: '' },
          tags: strings(body.tags),
          reverses: [],
          region: params[0],
          zone: null,
        };
        s.ipamIps.push(x);
        return x;
      });
      if (!ip) return sendJson(res, 409, { type: 'precondition_failed', precondition: 'resource_not_usable', help_message: 'no address left in the subnet', message: 'precondition failed' });
      sendJson(res, 200, ip);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^/ipam/v1/regions/([a-z-]+)/ips/${UUID}$`),
    handle({ res, store, params }) {
      const ip = store.get().ipamIps.find((x) => x.id === params[1]);
      if (!ip) return notFound(res, 'ip', params[1]);
      sendJson(res, 200, ip);
    },
  },
  {
    method: 'PATCH',
    path: new RegExp(`^/ipam/v1/regions/([a-z-]+)/ips/${UUID}$`),
    handle({ res, store, params, body }) {
      if (!store.get().ipamIps.some((x) => x.id === params[1])) return notFound(res, 'ip', params[1]);
      sendJson(res, 200, store.update((s) => {
        const ip = s.ipamIps.find((x) => x.id === params[1])!;
        if (Array.isArray(body.tags)) ip.tags = strings(body.tags);
        ip.updated_at = nowIso(store.now());
        return ip;
      }));
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^/ipam/v1/regions/([a-z-]+)/ips/${UUID}$`),
    handle({ res, store, params }) {
      const ip = store.get().ipamIps.find((x) => x.id === params[1]);
      if (!ip) return notFound(res, 'ip', params[1]);
      if (ip.resource?.id) return sendJson(res, 409, { type: 'precondition_failed', precondition: 'resource_still_in_use', help_message: 'the IP is attached to a resource', message: 'precondition failed' });
      store.update((s) => void (s.ipamIps = s.ipamIps.filter((x) => x.id !== params[1])));
      sendNoContent(res);
    },
  },
  // --- IAM SSH keys
  {
    method: 'POST',
    path: /^\/iam\/v1alpha1\/ssh-keys$/,
    handle({ res, store, body }) {
      const pk = typeof body.public_key === 'string' ? body.public_key : '';
      if (!/^ssh-[a-z0-9-]+ [A-Za-z0-9+/=]+/.test(pk.trim())) return invalidArgument(res, 'public_key', 'constraint', 'invalid public key');
      const k = store.update((s) => {
        const x = makeSshKey(s, String(body.name ?? ''), pk, typeof body.project_id === 'string' ? body.project_id : '', store.now());
        (s.sshKeys ??= []).push(x);
        return x;
      });
      sendJson(res, 200, k);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^/iam/v1alpha1/ssh-keys/${UUID}$`),
    handle({ res, store, params }) {
      const k = (store.get().sshKeys ?? []).find((x) => x.id === params[0]);
      if (!k) return notFound(res, 'ssh_key', params[0]);
      sendJson(res, 200, k);
    },
  },
  {
    method: 'PATCH',
    path: new RegExp(`^/iam/v1alpha1/ssh-keys/${UUID}$`),
    handle({ res, store, params, body }) {
      if (!(store.get().sshKeys ?? []).some((x) => x.id === params[0])) return notFound(res, 'ssh_key', params[0]);
      sendJson(res, 200, store.update((s) => {
        const k = s.sshKeys!.find((x) => x.id === params[0])!;
        if (typeof body.name === 'string' && body.name) k.name = body.name;
        if (typeof body.disabled === 'boolean') k.disabled = body.disabled;
        k.updated_at = nowIso(store.now());
        return k;
      }));
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^/iam/v1alpha1/ssh-keys/${UUID}$`),
    handle({ res, store, params }) {
      if (!(store.get().sshKeys ?? []).some((x) => x.id === params[0])) return notFound(res, 'ssh_key', params[0]);
      store.update((s) => void (s.sshKeys = s.sshKeys!.filter((x) => x.id !== params[0])));
      sendNoContent(res);
    },
  },
];
