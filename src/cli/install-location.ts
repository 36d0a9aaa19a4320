// Where onedeck is installed: the package root (with terraform/, ansible/, hooks/) and dist/.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InstallLocation {
  repoRoot: string;
  distDir: string;
}

export function installLocation(from = fileURLToPath(import.meta.url)): InstallLocation {
  let dir = dirname(from);
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'onedeck') return { repoRoot: dir, distDir: join(dir, 'dist') };
      } catch {
        /* keep looking */
      }
    }
    dir = dirname(dir);
  }
  // installed without its package.json next to it: assume dist/ sits in the package root
  const bundleDir = dirname(from);
  const root = dirname(basename(bundleDir) === 'chunks' ? dirname(bundleDir) : bundleDir);
  return { repoRoot: root, distDir: join(root, 'dist') };
}
