// Bundles the CLI (and the sandbox's daemon, its Terraform provider and stand-in ansible-playbook)
// into dist/ with esbuild: one file per entry point starts faster than hundreds of unbundled ESM modules.
// Every output is a CommonJS script (dist/package.json says so to node, the package being "type":
// "module"): node starts one without initialising its ES module loader.
// dist/chunks/ (the CLI was an ES module split in chunks until the code cache) is removed.
import { build } from 'esbuild';
import { chmod, mkdir } from 'node:fs/promises';
import { inkOutputCache } from './ink-output-cache.mjs';
import { scalewaySdkSlim } from './scaleway-sdk-slim.mjs';
import { yogaNoFetch } from './yoga-no-fetch.mjs';
import { cjsTopLevel } from './cjs-top-level.mjs';
import { lazyUnicodePlugin } from './lazy-unicode.mjs';

const entries = [
  // the CLI: one CommonJS script (src/main.ts behind scripts/cli-entry.mjs), which dist/onedeck.js
  // (src/cli/boot.ts) runs with V8's code cache; what only a command needs (imported with
  // import()) is evaluated when it is used, and V8 compiles a function only when it first runs
  { in: 'scripts/cli-entry.mjs', out: 'dist/onedeck.cjs', cjs: true },
  { in: 'src/cli/boot.ts', out: 'dist/onedeck.js', boot: 'onedeck.cjs' },
  // the sandbox's terraform-provider-scaleway (installed as a filesystem mirror) and stand-in tools
  // minified: Terraform starts it several times per plan, so its start-up time counts
  { in: 'src/sandbox/provider/main.ts', out: 'dist/sandbox/terraform-provider-scaleway.js', optional: true, minify: true },
  { in: 'src/sandbox/tools/ansible-playbook.ts', out: 'dist/sandbox/ansible-playbook.js', optional: true },
  { in: 'src/sandbox/daemon.ts', out: 'dist/sandbox/daemon.js', optional: true },
  { in: 'src/jobs/detached-runner.ts', out: 'dist/job-runner.js', optional: true },
  // an operation (add/remove hypervisors) runs detached like a job (src/operations/)
  { in: 'src/operations/runner-entry.ts', out: 'dist/operation-runner.js', optional: true },
];

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
await mkdir('dist/sandbox', { recursive: true });
rmSync('dist/chunks', { recursive: true, force: true });
for (const e of entries) {
  if (e.optional && !existsSync(e.in)) continue;
  const bundled = e.boot ? readFileSync(`dist/${e.boot}`) : undefined;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    // every output is CommonJS (dist/package.json says so): node starts a CommonJS entry without
    // its ES module loader, ~7 ms sooner to the first frame
    format: 'cjs',
    target: 'node20',
    sourcemap: false,
    minify: Boolean(e.minify),
    legalComments: 'none',
    // native or optional modules stay outside the bundle
    external: ['cpu-features', './crypto/build/Release/sshcrypto.node'],
    alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.js', 'is-in-ci': './scripts/stubs/is-in-ci.js' },
    define: {
      'process.env.NODE_ENV': '"production"',
      // a CommonJS script has no import.meta: boot.ts's wrapper passes the bundle's URL, the other
      // entries define it in their banner
      'import.meta.url': '__importMetaUrl',
      ...(bundled ? { __ONEDECK_BUNDLE__: JSON.stringify({ file: e.boot, id: createHash('sha256').update(bundled).digest('hex').slice(0, 16) }) } : {}),
    },
    // "use strict" first: esbuild's own comes after the banner, where it is no directive (an ES
    // module, as these were, is strict)
    banner: e.cjs ? {} : { js: `#!/usr/bin/env node\n'use strict';\nvar __importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
    plugins: [cjsTopLevel, inkOutputCache, lazyUnicodePlugin, scalewaySdkSlim, yogaNoFetch],
    logLevel: 'warning',
  });
  if (!e.cjs) await chmod(e.out, 0o755);
}
// the package is "type": "module"; its built scripts are CommonJS
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');

// ssh2's optional native crypto binding (node_modules/ssh2/lib/protocol/crypto/build) is NOT
// copied next to the bundles: it saved ~20% of a sweep's CPU, but the sandbox's ansible-playbook
// stand-in and the operation runner died of SIGSEGV with it under load (integration tests).
