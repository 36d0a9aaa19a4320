// Locality ids ("fr-par-2/<uuid>", "fr-par/<uuid>"), waiting for a transient state to end, and
// the value helpers the resources share.
import { ScwHttpError } from './scw-http.js';
import { ProviderError, type ProviderCtx } from './types.js';
import type { Obj, Value } from './values.js';

/** The uuid of a zonal/regional id (a bare uuid stays as it is). */
export const expandId = (id: string) => id.split('/').pop() ?? id;
/** The locality of an id, or the fallback. */
export const localityOf = (id: string, fallback: string) => (id.includes('/') ? id.split('/')[0] : fallback);
export const newId = (locality: string, id: string) => `${locality}/${id}`;

export const s = (v: Value | undefined): string => (typeof v === 'string' ? v : '');
export const strs = (v: Value | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
export const isNotFound = (e: unknown) => e instanceof ScwHttpError && (e.status === 404 || (e.status === 403 && e.body.type === 'permissions_denied'));

export const zoneOf = (ctx: ProviderCtx, o: Obj) => s(o.zone) || ctx.zone;
export const regionOf = (ctx: ProviderCtx, o: Obj) => s(o.region) || ctx.region;
export const projectOf = (ctx: ProviderCtx, o: Obj) => s(o.project_id) || ctx.projectId || undefined;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Poll until `done`; the real provider's waiters fail the same way on a timeout. */
export async function waitFor<T>(ctx: ProviderCtx, what: string, get: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ctx.signal.aborted) throw new ProviderError('execution halted');
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new ProviderError(`timeout while waiting for ${what}`);
    await sleep(ctx.pollMs, ctx.signal);
  }
}

/** Call again while the API answers 409 (a transient state), as the provider's waiters do. */
export async function retryTransient<T>(ctx: ProviderCtx, fn: () => Promise<T>, tries = 200): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ScwHttpError) || err.status !== 409 || i >= tries || ctx.signal.aborted) throw err;
      await sleep(ctx.pollMs, ctx.signal);
    }
  }
}

/** GET, null on 404. */
export async function getOrNull<T>(ctx: ProviderCtx, path: string): Promise<T | null> {
  try {
    return await ctx.api.call<T>('GET', path);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** DELETE, a 404 counts as done. */
export async function deleteIgnoringGone(ctx: ProviderCtx, path: string): Promise<void> {
  try {
    await retryTransient(ctx, () => ctx.api.call('DELETE', path));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
