// Build dist/ only when a source is newer than the bundles. A test file that rebuilds anyway
// rewrites dist/ (it emptied dist/chunks/, when there was one) while other test files (run in
// parallel) start the CLI from it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'views', 'scripts'];
const OUTPUTS = ['onedeck.js', 'onedeck.cjs', 'package.json', 'job-runner.js', 'operation-runner.js', 'sandbox/daemon.js', 'sandbox/terraform-provider-scaleway.js', 'sandbox/ansible-playbook.js'];

export function buildIfStale(repoRoot: string): void {
  const newest = Math.max(
    ...SOURCES.flatMap((d) => (readdirSync(join(repoRoot, d), { recursive: true }) as string[]).map((f) => join(repoRoot, d, f)))
      .filter((f) => /\.(ts|tsx|mjs|js)$/.test(f))
      .map((f) => statSync(f).mtimeMs),
  );
  const outs = OUTPUTS.map((f) => join(repoRoot, 'dist', f));
  if (outs.some((f) => !existsSync(f) || statSync(f).mtimeMs < newest)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}
