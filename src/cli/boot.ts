// dist/onedeck.js: starts onedeck's bundle (dist/onedeck.cjs, built from src/main.ts) with V8's
// code cache. Node 20 compiles an ES module's code anew at every start (~45 ms of the first
// frame for the UI's modules) and has no compile cache for it; a script run through vm.Script can
// hand V8 the code it compiled at an earlier start. The cache is written once per build, 2 s after a
// start that had none (so it holds what the first frame and the first sweep ran), to
// $XDG_CACHE_HOME/onedeck/ (~/.cache/onedeck/), readable by its owner only. V8 checks the
// cache against its own version and flags and rejects one that does not fit; the file's name holds
// a hash of the bundle, so a rebuilt bundle never meets an old cache. ONEDECK_NO_CODE_CACHE=1 turns it off.
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

// set by scripts/build.mjs: the bundle's file name, and a hash of its contents
declare const __ONEDECK_BUNDLE__: { file: string; id: string };

const WRITE_AFTER_MS = 2000;

function cacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'onedeck');
}

function boot(): void {
  const file = join(dirname(fileURLToPath(import.meta.url)), __ONEDECK_BUNDLE__.file);
  const source = readFileSync(file, 'utf8');
  const useCache = (process.env.ONEDECK_NO_CODE_CACHE ?? '') === '';
  const name = `code-${__ONEDECK_BUNDLE__.id}-${process.version}-${process.arch}.v8`;
  const dir = cacheDir();
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(join(dir, name));
    } catch {
      // none yet (or unreadable): compiled from source, and cached below
    }
  }
  // the CommonJS wrapper, as node's own loader would give it
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${source}\n})`, { filename: file, cachedData });
  const mod = { exports: {} };
  const run = script.runInThisContext() as (...a: unknown[]) => void;
  if (useCache && (!cachedData || script.cachedDataRejected)) setTimeout(() => writeCache(script, dir, name), WRITE_AFTER_MS).unref();
  run(mod.exports, createRequire(file), mod, file, dirname(file), pathToFileURL(file).href);
}

/** Writes the cache whole (a temporary file renamed) and drops the caches of other builds; any failure (a read-only home) only costs the next start its speed-up. */
function writeCache(script: Script, dir: string, name: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${name}.${process.pid}`);
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, join(dir, name));
    for (const f of readdirSync(dir)) if (f.startsWith('code-') && f.endsWith('.v8') && f !== name) unlinkSync(join(dir, f));
  } catch {
    // not written: the next start compiles from source again
  }
}

boot();
