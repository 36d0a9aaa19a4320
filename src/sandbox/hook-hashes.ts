// sha256 of the repo's hooks/ files, keyed by where they live under the bridge driver dir on a
// host (pre.d/…, clean.d/…; lib/<name>.sh is installed as <name>/lib.sh).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export const DEFAULT_HOOKS = ['pre.d/01-scw-flexip-attach.sh', 'clean.d/01-scw-flexip-detach.sh'];

/** Map a path relative to the repo's hooks/ dir to its path under the host's hooks dir, or null. */
export function remoteHookPath(rel: string): string | null {
  const parts = rel.split('/');
  if ((parts[0] === 'pre.d' || parts[0] === 'clean.d') && parts.length === 2) return rel;
  if (parts[0] === 'lib' && parts.length === 2 && parts[1].endsWith('.sh')) return `${parts[1].slice(0, -3)}/lib.sh`;
  return null;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** { remotePath: { local, sha } } for every hook file; missing files hash as empty content. */
export function readHookFiles(hooksDir: string): Record<string, { local: string | null; sha: string }> {
  const out: Record<string, { local: string | null; sha: string }> = {};
  if (existsSync(hooksDir) && statSync(hooksDir).isDirectory()) {
    for (const f of walk(hooksDir)) {
      const remote = remoteHookPath(relative(hooksDir, f));
      if (remote) out[remote] = { local: f, sha: sha256(readFileSync(f)) };
    }
  }
  for (const d of DEFAULT_HOOKS) if (!out[d]) out[d] = { local: null, sha: sha256('') };
  return out;
}

export function hookHashes(hooksDir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(readHookFiles(hooksDir)).map(([k, v]) => [k, v.sha]));
}
