// A small node:http stand-in for the Scaleway API: Elastic Metal servers (paginated), v3
// server-private-networks, IPAM IPs and Flexible IPs, plus scripted failures per path (status,
// body, content type, delay) so the real SDK can be driven through 401/403/429/5xx/timeouts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  status: number;
  body: unknown;
  /** default application/json (exactly: the SDK refuses "; charset=utf-8") */
  contentType?: string;
  /** raw text instead of JSON.stringify(body) */
  raw?: string;
  headers?: Record<string, string>;
  /** wait before answering (timeouts) */
  delayMs?: number;
}

export interface FakeScw {
  url: string;
  /** every request: method, path, query */
  /** `abandoned`: the client closed the connection before the (delayed) answer was sent */
  requests: { method: string; path: string; query: URLSearchParams; token?: string; abandoned?: boolean }[];
  /** responses served, in order, to requests whose path ends with the key (then normal routing) */
  script: Map<string, ScriptedResponse[]>;
  servers: Record<string, unknown>[];
  fips: Record<string, unknown>[];
  serverPrivateNetworks: Record<string, unknown>[];
  ipamIps: Record<string, unknown>[];
  close(): Promise<void>;
}

export function fakeServer(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
  return {
    id,
    organization_id: '11111111-1111-1111-1111-111111111111',
    project_id: '11111111-1111-1111-1111-111111111111',
    name: `prod-kvm-${i}`,
    description: '',
    created_at: '2025-12-09T10:19:27.385684Z',
    updated_at: '2025-12-09T10:49:27.385684Z',
    status: 'ready',
    offer_id: 'ddb09834-0000-0000-0000-000000000000',
    offer_name: 'EM-A610R-NVMe',
    tags: ['onedeck', 'cluster=prod', `host=kvm-${i}`],
    domain: `${id}.fr-par-2.baremetal.scw.cloud`,
    ips: [
      { id: `ip4-${i}`, address: `51.159.0.${i}`, reverse: '', version: 'IPv4', reverse_status: 'active', reverse_status_message: '' },
      { id: `ip6-${i}`, address: `2001:bc8:1200::${i}`, reverse: '', version: 'IPv6', reverse_status: 'active', reverse_status_message: '' },
    ],
    boot_type: 'normal',
    zone: 'fr-par-2',
    install: { os_id: '96e5f0f2-0000-0000-0000-000000000000', hostname: `kvm-${i}`, ssh_key_ids: [], status: 'completed', user: 'ubuntu', service_user: '', service_url: '', partitioning_schema: null },
    ping_status: 'ping_status_up',
    options: [],
    rescue_server: null,
    protected: false,
    user_data: null,
    ...extra,
  };
}

function page<T>(items: T[], q: URLSearchParams): T[] {
  const size = Number(q.get('page_size') ?? 50);
  const p = Number(q.get('page') ?? 1);
  return items.slice((p - 1) * size, p * size);
}

export async function startFakeScw(): Promise<FakeScw> {
  const state: Omit<FakeScw, 'url' | 'close'> = { requests: [], script: new Map(), servers: [], fips: [], serverPrivateNetworks: [], ipamIps: [] };
  const send = (res: ServerResponse, r: ScriptedResponse) => {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(r.status, { 'Content-Type': r.contentType ?? 'application/json', ...(r.headers ?? {}) });
      res.end(r.raw ?? JSON.stringify(r.body));
    };
    if (r.delayMs) setTimeout(write, r.delayMs).unref();
    else write();
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const token = req.headers['x-auth-token'];
    const rec: FakeScw['requests'][number] = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, token: typeof token === 'string' ? token : undefined };
    state.requests.push(rec);
    res.on('close', () => {
      if (!res.writableFinished) rec.abandoned = true;
    });
    for (const [suffix, queue] of state.script) {
      if (u.pathname.endsWith(suffix) && queue.length) return send(res, queue.shift()!);
    }
    const q = u.searchParams;
    const list = (key: string, items: unknown[]) => send(res, { status: 200, body: { total_count: items.length, [key]: page(items, q) } });
    if (/^\/baremetal\/v1\/zones\/[^/]+\/servers$/.test(u.pathname)) return list('servers', state.servers);
    if (/^\/baremetal\/v3\/zones\/[^/]+\/server-private-networks$/.test(u.pathname)) return list('server_private_networks', state.serverPrivateNetworks);
    if (/^\/ipam\/v1\/regions\/[^/]+\/ips$/.test(u.pathname)) return list('ips', state.ipamIps);
    if (/^\/flexible-ip\/v1alpha1\/zones\/[^/]+\/fips$/.test(u.pathname)) return list('flexible_ips', state.fips);
    send(res, { status: 404, body: { message: 'Not Found' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...state,
    get requests() {
      return state.requests;
    },
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
