// The daemon's control endpoint: HTTP on 127.0.0.1, a bearer token from sandbox.json.
// GET /status, POST /command {"args": [...]} (host …, reset, stop).
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ControlHandlers {
  status(): unknown;
  command(args: string[]): Promise<{ code: number; message: string }>;
}

export async function startControl(opts: { token: string; handlers: ControlHandlers; port?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${opts.token}`) return send(401, { code: 1, message: 'bad control token' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/status') return send(200, opts.handlers.status());
      if (req.method === 'POST' && req.url === '/command') {
        let args: string[] = [];
        try {
          args = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { args: string[] }).args ?? [];
        } catch {
          return send(400, { code: 64, message: 'body must be {"args": [...]}' });
        }
        opts.handlers.command(args).then(
          (r) => send(200, r),
          (e: Error) => send(500, { code: 1, message: e.message }),
        );
        return;
      }
      send(404, { code: 64, message: 'unknown control request' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Client side, for the CLI and ensureSandbox. node:http, not fetch: onedeck starts on the
 * sandbox with this request before its first frame, and fetch loads undici (~15 ms) first. */
export function controlRequest(url: string, token: string, path: '/status' | '/command', args?: string[], timeoutMs = 5000): Promise<{ status: number; body: unknown }> {
  const payload = args ? JSON.stringify({ args }) : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, {
      method: args ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) },
      // one connection per request, closed after it: nothing stays open to keep a command alive
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`the sandbox daemon did not answer within ${timeoutMs / 1000}s`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.end(payload);
  });
}
