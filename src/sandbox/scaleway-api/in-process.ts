// The fake Scaleway API answered in-process: the same routes as over HTTP, without a socket.
// The sandbox uses it to read its objects through the provider's own read functions when it
// seeds a Terraform state (src/sandbox/terraform-seed.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxStateStore } from '../state.js';
import { matchRoute } from './server.js';

/** A transport for the provider's client: (method, path, body) -> the status and the body's text. */
export function inProcessSend(store: SandboxStateStore) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const url = new URL(path, 'http://localhost');
    const hit = matchRoute(method, url.pathname);
    if (!hit) return { status: 404, text: JSON.stringify({ message: 'Not Found' }) };
    let text = '';
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader: () => res,
      end(chunk?: string) {
        text = chunk ?? '';
        res.headersSent = true;
      },
    };
    // a round trip through JSON, as over the wire: the handler never shares the caller's objects
    const parsed = body === undefined ? {} : (JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
    hit.route.handle({ req: { method, url: path, headers: {} } as IncomingMessage, res: res as unknown as ServerResponse, params: hit.params, query: url.searchParams, body: parsed, store });
    return { status: res.statusCode, text };
  };
}
