// `terraform validate` (or tofu's) on terraform/, offline: a temporary copy of terraform/*.tf, the
// sandbox's provider installed as a filesystem mirror built from dist/ (npm run build first), the
// CLI config that points at it, `init -backend=false`, `validate`. Used by .ci/run.
//   npx tsx scripts/validate-terraform.ts [path-to-tofu-or-terraform]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { whichSync } from '../src/adapters/tools.js';
import { cliConfigPath, installProvider } from '../src/sandbox/provider-install.js';

const repoRoot = resolve(import.meta.dirname, '..');
const distDir = join(repoRoot, 'dist');
const bin = process.argv[2] ?? whichSync('tofu') ?? whichSync('terraform');
if (!bin) {
  console.error('validate-terraform: neither tofu nor terraform found on PATH');
  process.exit(1);
}
if (!existsSync(join(distDir, 'sandbox', 'terraform-provider-scaleway.js'))) {
  console.error('validate-terraform: dist/sandbox/terraform-provider-scaleway.js is missing: run `npm run build` first');
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'onedeck-validate-'));
let status = 1;
try {
  installProvider(tmp, distDir);
  const tf = join(tmp, 'terraform');
  mkdirSync(tf);
  for (const f of readdirSync(join(repoRoot, 'terraform'))) if (f.endsWith('.tf')) copyFileSync(join(repoRoot, 'terraform', f), join(tf, f));
  const env = {
    PATH: process.env.PATH,
    HOME: tmp,
    TF_CLI_CONFIG_FILE: cliConfigPath(tmp),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // offline: any registry or network access goes to a closed loopback port and fails
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  };
  const run = (args: string[]) => spawnSync(bin, args, { cwd: tf, env, stdio: 'inherit' }).status ?? 1;
  status = run(['init', '-backend=false', '-input=false', '-no-color']);
  if (status === 0) status = run(['validate', '-no-color']);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
