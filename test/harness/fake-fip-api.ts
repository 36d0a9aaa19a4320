// A small stand-in for Scaleway's Flexible IP API (v1alpha1) on 127.0.0.1, in the real wire format:
// snake_case fields, ip_address with its /32, mac_address as an object, list = {total_count, flexible_ips},
// errors as the API sends them, Content-Type exactly application/json. Attach/detach leave the
// Flexible IP `updating` for a short while, like the real API, and answer 409 while it is.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface FakeMac {
  id: string;
  mac_address: string;
  mac_type: string;
  status: string;
  created_at: string;
  updated_at: string;
  zone: string;
}

export interface FakeFip {
  id: string;
  organization_id: string;
  project_id: string;
  description: string;
  tags: string[];
  updated_at: string;
  created_at: string;
  status: string;
  ip_address: string;
  mac_address: FakeMac | null;
  server_id: string | null;
  reverse: string;
  zone: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorized: boolean;
}

export interface FakeFipApi {
  url: string;
  token: string;
  calls: RecordedCall[];
  /** writes: POST calls that were authorized */
  writes(): RecordedCall[];
  add(ip: string, opts?: { serverId?: string | null; mac?: boolean; zone?: string }): FakeFip;
  get(id: string): FakeFip | undefined;
  /** the next `n` attach calls answer 409 (transient_state), before any other check */
  failNextAttach(n: number): void;
  close(): Promise<void>;
}

const ORG = '11111111-1111-1111-1111-111111111111';
const PROJECT = '22222222-2222-2222-2222-222222222222';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function randomMac(): string {
  const b = Array.from({ length: 3 }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0'));
  return `52:54:00:${b.join(':')}`;
}

export async function startFakeFipApi(opts: { token?: string; transientMs?: number } = {}): Promise<FakeFipApi> {
  const token = opts.token ?? 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const transientMs = opts.transientMs ?? 150;
  const fips = new Map<string, FakeFip>();
  const settle = new Map<string, { at: number; status: string; server: string | null }>();
  const calls: RecordedCall[] = [];
  let attachFailures = 0;
  const now = () => new Date().toISOString();

  // a transient status ends by itself once its time has passed
  const current = (fip: FakeFip): FakeFip => {
    const s = settle.get(fip.id);
    if (s && Date.now() >= s.at) {
      fip.status = s.status;
      fip.server_id = s.server;
      fip.updated_at = now();
      if (fip.mac_address) fip.mac_address.status = s.server ? 'used' : 'ready';
      settle.delete(fip.id);
    }
    return fip;
  };
  const startTransition = (fip: FakeFip, server: string | null) => {
    fip.status = 'updating';
    settle.set(fip.id, { at: Date.now() + transientMs, status: server ? 'attached' : 'ready', server });
  };

  const transientError = (fip: FakeFip) => ({
    type: 'transient_state',
    resource: 'flexible_ip',
    resource_id: fip.id,
    current_state: fip.status,
    message: `resource flexible_ip with ID ${fip.id} is in a transient state: ${fip.status}`,
  });
  const notFound = (id: string) => ({ type: 'not_found', resource: 'flexible_ip', resource_id: id, message: 'resource is not found' });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    const authorized = req.headers['x-auth-token'] === token;
    calls.push({ method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), body, authorized });
    if (!authorized) {
      send(res, 401, { type: 'denied_authentication', method: 'api_key', reason: 'not_found', message: 'authentication is denied' });
      return;
    }
    const m = /^\/flexible-ip\/v1alpha1\/zones\/([a-z]{2}-[a-z]{3}-\d)\/fips(?:\/([^/]+))?(?:\/(mac))?$/.exec(u.pathname);
    if (!m) return send(res, 404, { message: 'Not Found' });
    const [, zone, idOrVerb, sub] = m;
    const inZone = [...fips.values()].filter((f) => f.zone === zone).map(current);
    const b = (body ?? {}) as { fips_ids?: string[]; server_id?: string; mac_type?: string };

    if (req.method === 'GET' && !idOrVerb) {
      const page = Math.max(1, Number(u.searchParams.get('page') ?? 1));
      const size = Math.max(1, Number(u.searchParams.get('page_size') ?? 20));
      return send(res, 200, { total_count: inZone.length, flexible_ips: inZone.slice((page - 1) * size, page * size) });
    }
    if (req.method === 'GET' && idOrVerb && !sub) {
      const fip = inZone.find((f) => f.id === idOrVerb);
      return fip ? send(res, 200, fip) : send(res, 404, notFound(idOrVerb));
    }
    if (req.method === 'POST' && (idOrVerb === 'attach' || idOrVerb === 'detach')) {
      const ids = b.fips_ids ?? [];
      if (ids.length === 0) return send(res, 400, { type: 'invalid_arguments', message: 'fips_ids is required' });
      if (idOrVerb === 'attach' && attachFailures > 0) {
        attachFailures--;
        const f = inZone.find((x) => x.id === ids[0]);
        return send(res, 409, f ? transientError({ ...f, status: 'updating' }) : { message: 'conflict' });
      }
      const targets = ids.map((id) => inZone.find((f) => f.id === id));
      const missing = ids.find((_, i) => !targets[i]);
      if (missing) return send(res, 404, notFound(missing));
      const busy = targets.find((f) => f!.status === 'updating' || f!.status === 'detaching');
      if (busy) return send(res, 409, transientError(busy));
      if (idOrVerb === 'attach') {
        if (!b.server_id) return send(res, 400, { type: 'invalid_arguments', message: 'server_id is required' });
        for (const f of targets) startTransition(f!, b.server_id);
      } else {
        for (const f of targets) if (f!.server_id) startTransition(f!, null);
      }
      return send(res, 200, { total_count: targets.length, flexible_ips: targets });
    }
    if (req.method === 'POST' && idOrVerb && sub === 'mac') {
      const fip = inZone.find((f) => f.id === idOrVerb);
      if (!fip) return send(res, 404, notFound(idOrVerb));
      if (fip.mac_address) return send(res, 409, { type: 'already_exists', message: 'a MAC address already exists' });
      fip.mac_address = { id: randomUUID(), mac_address: randomMac(), mac_type: b.mac_type ?? 'kvm', status: 'ready', created_at: now(), updated_at: now(), zone };
      return send(res, 200, fip);
    }
    return send(res, 404, { message: 'Not Found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { message: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    writes: () => calls.filter((c) => c.method === 'POST' && c.authorized),
    add(ip, o = {}) {
      const zone = o.zone ?? 'fr-par-2';
      const id = randomUUID();
      const fip: FakeFip = {
        id,
        organization_id: ORG,
        project_id: PROJECT,
        description: '',
        tags: [],
        updated_at: now(),
        created_at: now(),
        status: o.serverId ? 'attached' : 'ready',
        ip_address: `${ip}/32`,
        mac_address:
          o.mac === false
            ? null
            : { id: randomUUID(), mac_address: randomMac(), mac_type: 'kvm', status: o.serverId ? 'used' : 'ready', created_at: now(), updated_at: now(), zone },
        server_id: o.serverId ?? null,
        reverse: `${ip.replace(/\./g, '-')}.rev.poneytelecom.eu`,
        zone,
      };
      fips.set(id, fip);
      return fip;
    },
    get: (id) => {
      const f = fips.get(id);
      return f ? current(f) : undefined;
    },
    failNextAttach(n) {
      attachFailures = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
