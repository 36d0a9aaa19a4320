// The Scaleway SDK client, with what the SDK lacks: a timeout per request, retries of 429 (after
// reset_seconds / Retry-After) and, for idempotent methods only, of 5xx and network errors with
// bounded exponential backoff.
import { createAdvancedClient, withDefaultPageSize, withHTTPClient, withProfile, withUserAgentSuffix, type Client } from '@scaleway/sdk-client';
import { OnedeckError } from '../../errors.js';
import type { ScalewayCredentials } from './credentials.js';
import { checkListReply } from './replies.js';

export interface HttpPolicy {
  /** per request attempt */
  timeoutMs: number;
  /** extra attempts after the first */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** aborts every request (the monitor stopping) */
  signal?: AbortSignal;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = { timeoutMs: 15_000, retries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

const RETRIABLE = new Set([500, 502, 503, 504]);
/** methods that may be sent again after a 5xx or a lost answer (RFC 9110 §9.2.2); a 429 was not processed, so any method retries */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // the listener goes once the wait is over: every retry of every request shares one signal
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long a 429 asks us to wait: body reset_seconds, else Retry-After, else backoff. */
async function rateLimitDelay(res: Response, fallback: number, max: number): Promise<number> {
  let secs: number | undefined;
  try {
    const body = (await res.clone().json()) as { reset_seconds?: unknown };
    if (typeof body.reset_seconds === 'number') secs = body.reset_seconds;
  } catch {
    /* not JSON */
  }
  if (secs === undefined) {
    const ra = res.headers.get('retry-after');
    if (ra && /^\d+(\.\d+)?$/.test(ra)) secs = Number(ra);
    else if (ra && !Number.isNaN(Date.parse(ra))) secs = (Date.parse(ra) - Date.now()) / 1000;
  }
  return Math.min(max, secs === undefined ? fallback : Math.max(0, secs * 1000));
}

/** Why a request never got an answer, for a person: "connection refused (ECONNREFUSED)". */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (code) return `${words[code] ?? cause?.message ?? 'network error'} (${code})`;
  return cause?.message ?? (err as Error).message;
}

/** `text` with every secret (and its JSON-escaped form) replaced: an API error may echo the key. */
function hideSecrets(text: string, secrets: readonly string[]): string {
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const v of new Set([s, JSON.stringify(s).slice(1, -1)])) if (text.includes(v)) text = text.split(v).join('********');
  }
  return text;
}

export interface FetchExtras {
  /** values never passed on to the SDK in a reply (the access and secret key) */
  secrets?: readonly string[];
}

/**
 * A fetch for the SDK: timeout (the whole body included), retry and abort. The reply reaches the
 * SDK with the secrets hidden, and a list reply only once its shape is right (replies.ts).
 */
export function retryingFetch(policy: HttpPolicy, fetchImpl: typeof fetch = fetch, extras: FetchExtras = {}): typeof fetch {
  const sleep = policy.sleep ?? defaultSleep;
  const secrets = extras.secrets ?? [];
  return (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const original = input instanceof Request ? input : new Request(input, init);
    const url = new URL(original.url);
    const path = url.pathname;
    const idempotent = IDEMPOTENT.has(original.method.toUpperCase());
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      const signal = policy.signal ? AbortSignal.any([timeout, policy.signal]) : timeout;
      let res: Response;
      try {
        // a Request body can be read once: every attempt sends a fresh clone
        res = await fetchImpl(original.clone(), { signal });
      } catch (err) {
        if (policy.signal?.aborted) throw err;
        const timedOut = timeout.aborted;
        if (attempt < policy.retries && idempotent) {
          await sleep(backoff, policy.signal);
          continue;
        }
        throw new OnedeckError(
          timedOut
            ? `the Scaleway API did not answer ${original.method} ${path} within ${policy.timeoutMs / 1000}s (${attempt + 1} attempts).`
            : `cannot reach the Scaleway API at ${url.origin}: ${networkCause(err)} for ${original.method} ${path} (${attempt + 1} attempts).`,
          { hint: 'Check the network and https://status.scaleway.com (and SCW_API_URL / api_url if set); onedeck retries at the next refresh.', cause: err },
        );
      }
      if ((res.status === 429 || (RETRIABLE.has(res.status) && idempotent)) && attempt < policy.retries) {
        const wait = res.status === 429 ? await rateLimitDelay(res, backoff, policy.maxDelayMs) : backoff;
        await res.body?.cancel().catch(() => {});
        await sleep(wait, policy.signal);
        continue;
      }
      if (res.body === null) return res;
      // the body is read here, under the same timeout: a reply that starts and never ends is a
      // timeout, not "a response onedeck cannot read"
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (policy.signal?.aborted) throw err;
        if (attempt < policy.retries && idempotent) {
          await sleep(backoff, policy.signal);
          continue;
        }
        throw new OnedeckError(
          timeout.aborted
            ? `the Scaleway API did not finish its reply to ${original.method} ${path} within ${policy.timeoutMs / 1000}s (${attempt + 1} attempts).`
            : `the Scaleway API broke off its reply to ${original.method} ${path}: ${networkCause(err)} (${attempt + 1} attempts).`,
          { hint: 'Check the network and https://status.scaleway.com; onedeck retries at the next refresh.', cause: err },
        );
      }
      text = hideSecrets(text, secrets);
      if (res.ok) checkListReply(original.method, path, text);
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      headers.delete('content-encoding');
      return new Response(text, { status: res.status, statusText: res.statusText, headers });
    }
  }) as typeof fetch;
}

export function createScalewayClient(creds: ScalewayCredentials, policy: HttpPolicy = DEFAULT_HTTP_POLICY, fetchImpl?: typeof fetch): Client {
  return createAdvancedClient(
    withProfile(creds.profile),
    withDefaultPageSize(100),
    withUserAgentSuffix('onedeck/0.1'),
    withHTTPClient(retryingFetch(policy, fetchImpl, { secrets: [creds.profile.secretKey, creds.profile.accessKey] })),
  );
}
