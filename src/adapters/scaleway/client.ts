// The Scaleway SDK client, with what the SDK lacks: a timeout per request, retries of 429 (after
// reset_seconds / Retry-After) and, for idempotent methods only, of 5xx and network errors with
// bounded exponential backoff.
import { createAdvancedClient, withDefaultPageSize, withHTTPClient, withProfile, withUserAgentSuffix, type Client } from '@scaleway/sdk-client';
import { OnedeckError } from '../../errors.js';
import type { ScalewayCredentials } from './credentials.js';

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
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
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

/** A fetch for the SDK: timeout, retry and abort. The final response is returned to the SDK as is. */
export function retryingFetch(policy: HttpPolicy, fetchImpl: typeof fetch = fetch): typeof fetch {
  const sleep = policy.sleep ?? defaultSleep;
  return (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const original = input instanceof Request ? input : new Request(input, init);
    const path = new URL(original.url).pathname;
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
            : `cannot reach the Scaleway API for ${original.method} ${path}: ${(err as Error).message} (${attempt + 1} attempts).`,
          { hint: 'Check the network and https://status.scaleway.com; onedeck retries at the next refresh.', cause: err },
        );
      }
      if ((res.status === 429 || (RETRIABLE.has(res.status) && idempotent)) && attempt < policy.retries) {
        const wait = res.status === 429 ? await rateLimitDelay(res, backoff, policy.maxDelayMs) : backoff;
        await res.body?.cancel().catch(() => {});
        await sleep(wait, policy.signal);
        continue;
      }
      return res;
    }
  }) as typeof fetch;
}

export function createScalewayClient(creds: ScalewayCredentials, policy: HttpPolicy = DEFAULT_HTTP_POLICY, fetchImpl?: typeof fetch): Client {
  return createAdvancedClient(
    withProfile(creds.profile),
    withDefaultPageSize(100),
    withUserAgentSuffix('onedeck/0.1'),
    withHTTPClient(retryingFetch(policy, fetchImpl)),
  );
}
