// A fake Scaleway API over HTTP on loopback, backed by the sandbox state: the Elastic Metal,
// Flexible IP, private-network, VPC, IPAM, IAM (SSH keys; the key's own permissions) and catalogue
// endpoints onedeck and the sandbox's Terraform provider use, each authorised by the key's IAM rules.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxStateStore } from '../state.js';
import { fipRoutes } from './fips.js';
import { readJsonBody, sendJson, type Route } from './http.js';
import { privateNetworkRoutes } from './private-networks.js';
import { serverRoutes } from './servers.js';
import { catalogRoutes } from './catalog.js';
import { ipamIamRoutes } from './ipam-iam.js';
import { iamAccessRoutes, refusal } from './iam-access.js';
import { vpcRoutes } from './vpc.js';

export interface Injection {
  method?: string;
  path: RegExp;
  status: number;
  body?: unknown;
  /** how many requests it answers (default 1) */
  times?: number;
}

export interface FakeScaleway {
  url: string;
  close(): Promise<void>;
  inject(f: Injection): void;
}

const routes: Route[] = [...serverRoutes, ...catalogRoutes, ...fipRoutes, ...privateNetworkRoutes, ...vpcRoutes, ...ipamIamRoutes, ...iamAccessRoutes];

/** The route that answers a request, with its path parameters; null when none does (404). */
export function matchRoute(method: string, pathname: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.path.exec(pathname);
    if (m) return { route, params: m.slice(1) };
  }
  return null;
}

const DEFAULT_BODIES: Record<number, unknown> = {
  429: {
    type: 'too_many_requests',
    help_message: 'slow down',
    limit: { quota: 10, window_seconds: 1 },
    reset_seconds: 1,
    message: 'too many requests',
  },
  500: { message: 'internal error', type: 'internal_error' },
};

export async function startFakeScaleway(opts: {
  host?: string;
  port?: number;
  state: SandboxStateStore;
  secretKey: string;
  log?: (line: string) => void;
}): Promise<FakeScaleway> {
  const injections: (Injection & { left: number })[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    opts.log?.(`${method} ${url.pathname}${url.search}`);
    const inj = injections.find((i) => i.left > 0 && (!i.method || i.method === method) && i.path.test(url.pathname));
    if (inj) {
      inj.left--;
      return sendJson(res, inj.status, inj.body ?? DEFAULT_BODIES[inj.status] ?? { message: 'injected error' });
    }
    if (req.headers['x-auth-token'] !== opts.secretKey) {
      return sendJson(res, 401, {
        type: 'denied_authentication',
        method: 'api_key',
        reason: 'not_found',
        message: 'authentication is denied',
      });
    }
    const hit = matchRoute(method, url.pathname);
    // the key's IAM rules (`onedeck sandbox knob key-access …`): what it may not do is refused
    const refused = hit ? refusal(opts.state.get(), method, url.pathname) : null;
    if (refused) return sendJson(res, 403, refused);
    if (hit) {
      let body: Record<string, unknown> = {};
      try {
        body = await readJsonBody(req);
      } catch {
        return sendJson(res, 400, { message: 'invalid JSON body', type: 'invalid_request_error' });
      }
      return hit.route.handle({ req, res, params: hit.params, query: url.searchParams, body, store: opts.state });
    }
    sendJson(res, 404, { message: 'Not Found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.log?.(`error: ${(err as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'internal error', type: 'internal_error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    inject: (f) => injections.push({ ...f, left: f.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
