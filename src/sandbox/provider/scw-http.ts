// The provider's way to the Scaleway API, as the real provider's: credentials from SCW_* variables,
// else the scw CLI config file ($SCW_CONFIG_PATH or ~/.config/scw/config.yaml); X-Auth-Token over HTTP.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ScwCreds {
  apiUrl: string;
  secretKey: string;
  projectId?: string;
  zone?: string;
  region?: string;
}

export class ScwHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    method: string,
    path: string,
  ) {
    super(`scaleway-sdk-go: ${describe(status, body)} (${method} ${path})`);
  }
}

function describe(status: number, body: Record<string, unknown>): string {
  if (body.type === 'not_found') return `resource ${String(body.resource)} with ID ${String(body.resource_id)} is not found`;
  if (body.type === 'transient_state') return `resource ${String(body.resource)} with ID ${String(body.resource_id)} is in a transient state: ${String(body.current_state)}`;
  if (body.type === 'denied_authentication') return `denied authentication: ${String(body.method)} does not exist`;
  if (status === 429) return 'too many requests';
  return `http error ${status}: ${String(body.message ?? '')}`;
}

function readConfigFile(env: NodeJS.ProcessEnv): Record<string, string> {
  const file = env.SCW_CONFIG_PATH || join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'scw', 'config.yaml');
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return out;
}

export function loadCreds(env: NodeJS.ProcessEnv = process.env): ScwCreds | null {
  const f = readConfigFile(env);
  const secretKey = env.SCW_SECRET_KEY || f.secret_key;
  if (!secretKey) return null;
  return {
    apiUrl: (env.SCW_API_URL || f.api_url || 'https://api.scaleway.com').replace(/\/+$/, ''),
    secretKey,
    projectId: env.SCW_DEFAULT_PROJECT_ID || f.default_project_id,
    zone: env.SCW_DEFAULT_ZONE || f.default_zone,
    region: env.SCW_DEFAULT_REGION || f.default_region,
  };
}

/** One request as a transport answers it: the status and the body's text. */
export type ScwSend = (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>;

/** The client over HTTP, as the real provider's. */
export function scwClient(creds: ScwCreds) {
  return clientOver(async (method, path, body) => {
    const res = await fetch(`${creds.apiUrl}${path}`, {
      method,
      headers: { 'X-Auth-Token': creds.secretKey, 'Content-Type': 'application/json', 'User-Agent': 'scaleway-sdk-go/v1.0.0-beta.32 terraform-provider/2.57.0 terraform/1.8.8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: res.status === 204 ? '' : await res.text() };
  });
}

/** call (JSON in, JSON out, an error status as ScwHttpError) and all (every page) over a transport. */
export function clientOver(send: ScwSend) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, text } = await send(method, path, body);
    if (status === 204) return undefined as T;
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { message: text };
    }
    if (status < 200 || status >= 300) throw new ScwHttpError(status, parsed, method, path);
    return parsed as T;
  }
  /** Every page of a list (page_size 100, as the Go SDK's ListAll). */
  async function all<T>(path: string, key: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page < 100; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await call<Record<string, unknown>>('GET', `${path}${sep}page=${page}&page_size=100`);
      const items = (r[key] as T[]) ?? [];
      out.push(...items);
      if (items.length === 0 || out.length >= Number(r.total_count ?? 0)) break;
    }
    return out;
  }
  return { call, all };
}

export type ScwClient = ReturnType<typeof scwClient>;
