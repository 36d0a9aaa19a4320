// The repo's Flexible-IP hooks (paths.hooks) as the node sees them: relpath on the node → sha256.
// pre.d/* and clean.d/* keep their path; lib/scw-flexip.sh lives at scw-flexip/lib.sh on nodes.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function readRepoHooks(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  for (const sub of ['pre.d', 'clean.d']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      // the probe lists only *flexip* files there (other hooks are not ours)
      if (!name.includes('flexip')) continue;
      const f = join(d, name);
      if (statSync(f).isFile()) out[`${sub}/${name}`] = sha(f);
    }
  }
  const lib = join(dir, 'lib', 'scw-flexip.sh');
  if (existsSync(lib)) out['scw-flexip/lib.sh'] = sha(lib);
  return out;
}
