// Bundles the CLI (and the sandbox's daemon, its Terraform provider and stand-in ansible-playbook)
// into dist/ with esbuild: one file per entry point starts faster than hundreds of unbundled ESM modules.
import { build } from 'esbuild';
import { chmod, mkdir } from 'node:fs/promises';
import { inkOutputCache } from './ink-output-cache.mjs';
import { scalewaySdkSlim } from './scaleway-sdk-slim.mjs';
import { yogaNoFetch } from './yoga-no-fetch.mjs';

const entries = [
  // split: what only a command or the core's SSH side needs (imported with import()) goes to
  // dist/chunks/ and loads when it is used, so the UI's first frame waits for less code
  { in: 'src/main.ts', out: 'dist/onedeck.js', split: true },
  // the sandbox's terraform-provider-scaleway (installed as a filesystem mirror) and stand-in tools
  // minified: Terraform starts it several times per plan, so its start-up time counts
  { in: 'src/sandbox/provider/main.ts', out: 'dist/sandbox/terraform-provider-scaleway.js', optional: true, minify: true },
  { in: 'src/sandbox/tools/ansible-playbook.ts', out: 'dist/sandbox/ansible-playbook.js', optional: true },
  { in: 'src/sandbox/daemon.ts', out: 'dist/sandbox/daemon.js', optional: true },
  { in: 'src/jobs/detached-runner.ts', out: 'dist/job-runner.js', optional: true },
  // an operation (add/remove hypervisors) runs detached like a job (src/operations/)
  { in: 'src/operations/runner-entry.ts', out: 'dist/operation-runner.js', optional: true },
];

import { existsSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
await mkdir('dist/sandbox', { recursive: true });
rmSync('dist/chunks', { recursive: true, force: true });
for (const e of entries) {
  if (e.optional && !existsSync(e.in)) continue;
  await build({
    ...(e.split
      ? { entryPoints: { [basename(e.out, '.js')]: e.in }, outdir: dirname(e.out), splitting: true, chunkNames: 'chunks/[name]-[hash]' }
      : { entryPoints: [e.in], outfile: e.out }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: false,
    minify: Boolean(e.minify),
    legalComments: 'none',
    // native or optional modules stay outside the bundle
    external: ['cpu-features', './crypto/build/Release/sshcrypto.node'],
    alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.js', 'is-in-ci': './scripts/stubs/is-in-ci.js' },
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: {
      // CommonJS dependencies (ssh2) expect require, __filename and __dirname
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path';",
        'const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);',
      ].join('\n'),
    },
    plugins: [inkOutputCache, scalewaySdkSlim, yogaNoFetch],
    logLevel: 'warning',
  });
  await chmod(e.out, 0o755);
}

// ssh2's optional native crypto binding (node_modules/ssh2/lib/protocol/crypto/build) is NOT
// copied next to the bundles: it saved ~20% of a sweep's CPU, but the sandbox's ansible-playbook
// stand-in and the operation runner died of SIGSEGV with it under load (integration tests).
