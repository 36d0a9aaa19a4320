// What a Scaleway list reply must look like before the SDK reads it (the SDK reads a list that
// is not a list as an empty one), a sanity bound on total_count, and pagination one page at a
// time with a page cap (the SDK's `.all()` creates every page request at once from total_count).
import { z } from 'zod';
import { OnedeckError } from '../../errors.js';

export const PAGE_SIZE = 100;
/** pages read at most for one list */
export const MAX_PAGES = 100;
/** a total_count past this is not believed */
export const MAX_ITEMS = MAX_PAGES * PAGE_SIZE;

const HINT = 'If SCW_API_URL or api_url points somewhere other than https://api.scaleway.com, check that endpoint; otherwise see https://status.scaleway.com.';

const item = (fields: Record<string, z.ZodTypeAny>) => z.object(fields).passthrough();
const str = z.string();
const LISTS: { path: RegExp; key: string; item: z.ZodTypeAny }[] = [
  { path: /\/baremetal\/v1\/zones\/[^/]+\/servers$/, key: 'servers', item: item({ id: str, name: str, status: str, ips: z.array(item({ address: str })).optional() }) },
  { path: /\/baremetal\/v3\/zones\/[^/]+\/server-private-networks$/, key: 'server_private_networks', item: item({ id: str, server_id: str, private_network_id: str }) },
  { path: /\/ipam\/v1\/regions\/[^/]+\/ips$/, key: 'ips', item: item({ id: str, address: str }) },
  { path: /\/flexible-ip\/v1alpha1\/zones\/[^/]+\/fips$/, key: 'flexible_ips', item: item({ id: str, ip_address: str }) },
];

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

// the last reply found good, per list: a sweep reads the same lists every refresh, most often
// byte for byte the same, and checking one again (JSON.parse and zod) made ~0.2 MB of garbage
const lastGood = new Map<string, string>();

/** Throws an OnedeckError naming the request when a successful list reply has the wrong shape. */
export function checkListReply(method: string, path: string, text: string): void {
  const list = LISTS.find((l) => l.path.test(path));
  if (!list) return;
  if (lastGood.get(path) === text) return;
  const req = `${method} ${path}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return; // the SDK reports unparsable JSON itself
  }
  const bad = (what: string) => new OnedeckError(`the Scaleway API sent a malformed reply to ${req}: ${what}.`, { hint: HINT });
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad(`expected a mapping, got ${kind(body)}`);
  const b = body as Record<string, unknown>;
  const total = b.total_count;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
    throw bad(`total_count must be a count (a whole number ≥ 0), got ${JSON.stringify(total) ?? 'nothing'}`);
  }
  if (total > MAX_ITEMS) {
    throw new OnedeckError(`the Scaleway API replied to ${req} with total_count ${total}, more than onedeck reads (at most ${MAX_ITEMS}).`, { hint: HINT });
  }
  if (!Array.isArray(b[list.key])) throw bad(`${list.key} must be a list, got ${kind(b[list.key])}`);
  const r = z.array(list.item).safeParse(b[list.key]);
  if (!r.success) {
    const i = r.error.issues[0];
    throw bad(`${[list.key, ...i.path].join('.')} ${i.message.toLowerCase()}`);
  }
  if (lastGood.size > 16) lastGood.clear();
  lastGood.set(path, text);
}

/** Every item of a paginated list, one page at a time, at most MAX_PAGES pages. */
export async function listAll<T>(what: string, page: (n: number) => Promise<{ totalCount: number; items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  let total = 0;
  for (let n = 1; ; n++) {
    if (n > MAX_PAGES) {
      throw new OnedeckError(`the Scaleway API kept sending pages to ${what}: more than ${MAX_PAGES} pages (total_count ${total}, ${out.length} items read).`, { hint: HINT });
    }
    const r = await page(n);
    total = r.totalCount;
    out.push(...r.items);
    if (r.items.length === 0 || out.length >= r.totalCount) return out;
  }
}
