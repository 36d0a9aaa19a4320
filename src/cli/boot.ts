// dist/onedeck.js: starts onedeck's bundle (dist/onedeck.cjs, built from src/main.ts) with V8's
// code cache (src/cli/code-cache.ts). Node 20 compiles an ES module's code anew at every start
// (~45 ms of the first frame for the UI's modules) and has no compile cache for one. The cache of
// a build is written once, 2 s after a start that had none (what the first frame and the first
// sweep ran), to $XDG_CACHE_HOME/onedeck/ (~/.cache/onedeck/). ONEDECK_NO_CODE_CACHE=1 turns it off;
// src/main.ts sets it in a read-only session, which then reads a cache but writes none.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../paths.js';
import { runWithCodeCache } from './code-cache.js';

// set by scripts/build.mjs: the bundle's file name, and a hash of its contents
declare const __ONEDECK_BUNDLE__: { file: string; id: string };

const cacheOff = () => (process.env.ONEDECK_NO_CODE_CACHE ?? '') !== '';

runWithCodeCache(join(dirname(fileURLToPath(import.meta.url)), __ONEDECK_BUNDLE__.file), {
  dir: cacheOff() ? undefined : resolvePaths().cacheDir,
  name: `code-${__ONEDECK_BUNDLE__.id}-${process.version}-${process.arch}.v8`,
  stale: /^code-.*\.v8$/,
  writeAfterMs: 2000,
  mayWrite: () => !cacheOff(),
});
