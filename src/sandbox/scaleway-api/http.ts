// Request/response helpers shared by the fake Scaleway API's route modules.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxStateStore } from '../state.js';

export interface RouteCtx {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  store: SandboxStateStore;
}

export interface Route {
  method: string;
  path: RegExp;
  handle(ctx: RouteCtx): void;
}

/** The SDK only parses bodies whose Content-Type is exactly `application/json`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('X-Request-Id', crypto.randomUUID());
  res.setHeader('Server', 'Scaleway API Gateway (fr-par-2;edge01)');
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.statusCode = 204;
  res.end();
}

export function notFound(res: ServerResponse, resource: string, id: string): void {
  sendJson(res, 404, { type: 'not_found', resource, resource_id: id, message: 'resource is not found' });
}

export function invalidArgument(res: ServerResponse, field: string, reason: string, help: string): void {
  sendJson(res, 400, {
    type: 'invalid_arguments',
    details: [{ argument_name: field, reason, help_message: help }],
    message: 'invalid argument(s)',
  });
}

export function transientState(res: ServerResponse, resource: string, id: string, current: string): void {
  sendJson(res, 409, {
    type: 'transient_state',
    resource,
    resource_id: id,
    current_state: current,
    message: `resource is in a transient state`,
  });
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  const v = JSON.parse(text) as unknown;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** page (1-based) and page_size as the API reads them; defaults as Scaleway's (page_size 50). */
export function paginate<T>(items: T[], q: URLSearchParams): { page: T[]; total: number } {
  const page = Math.max(1, parseInt(q.get('page') ?? '1', 10) || 1);
  const size = Math.min(100, Math.max(1, parseInt(q.get('page_size') ?? '50', 10) || 50));
  return { page: items.slice((page - 1) * size, page * size), total: items.length };
}

/** order_by=created_at_asc|created_at_desc|name_asc|name_desc (default created_at_asc). */
export function order<T extends { created_at: string; name?: string }>(items: T[], orderBy: string | null): T[] {
  const [field, dir] = (orderBy ?? 'created_at_asc').match(/^(.*)_(asc|desc)$/)?.slice(1) ?? ['created_at', 'asc'];
  const key = (x: T) => (field === 'name' ? (x.name ?? '') : x.created_at);
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return dir === 'desc' ? sorted.reverse() : sorted;
}

/** A repeated (tags=a&tags=b) or comma-joined query parameter. */
export function multi(q: URLSearchParams, name: string): string[] {
  return q.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
}
