// Runs a CommonJS script through vm.Script with V8's code cache: the code V8 compiled at an
// earlier start is handed back to it instead of compiled again. Used by src/cli/boot.ts (the
// entry, dist/onedeck.js) for onedeck's bundle. The cache is written once, `writeAfterMs` after a
// start that had none (or whose cache V8 rejected: another node, other flags), so it holds what
// that start ran by then; readable by its owner only, written whole (a temporary file renamed).
// V8 checks a cache against its own version and flags (a hash of the flags as they are when the
// cache is made: a script that changes a V8 flag must do it after `written`, see codeCacheState,
// or every later start rejects the cache); the cache's file name must name the
// script's contents (V8 checks only the source's length), which the caller's `name` does.
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

export interface CodeCacheOptions {
  /** the directory of the cache files; undefined: no cache */
  dir?: string;
  /** this script's cache file name, unique to its contents and the node that runs it */
  name: string;
  /** other files of `dir` matching this are caches of other builds, removed when one is written */
  stale?: RegExp;
  writeAfterMs: number;
  /** asked when the cache is due: false writes nothing (a read-only session writes no file but its log) */
  mayWrite?: () => boolean;
}

export type CacheUse = 'none' | 'used' | 'rejected' | 'off';

export interface CodeCacheState {
  use: CacheUse;
  /** settles once this start's cache is written (true) or will not be (false) */
  written: Promise<boolean>;
}

// the script run reads the state from here: boot.ts and the bundle each hold a copy of this module
const STATE = Symbol.for('onedeck.code-cache');

/** How this process's script was started: the cache used or not, and when the cache is written. */
export function codeCacheState(): CodeCacheState {
  return (globalThis as { [STATE]?: CodeCacheState })[STATE] ?? { use: 'off', written: Promise.resolve(false) };
}

/** Runs `file` as node would run a CommonJS module (plus `__importMetaUrl`, its file: URL). */
export function runWithCodeCache(file: string, o: CodeCacheOptions): CodeCacheState {
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  if (o.dir) {
    try {
      cachedData = readFileSync(join(o.dir, o.name));
    } catch {
      // none yet (or unreadable): compiled from source, and cached below
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${source}\n})`, { filename: file, cachedData });
  const use: CacheUse = !o.dir ? 'off' : !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  let written: Promise<boolean> = Promise.resolve(false);
  if (o.dir && use !== 'used') {
    const dir = o.dir;
    written = new Promise((resolve) => setTimeout(() => resolve((o.mayWrite?.() ?? true) && writeCache(script, dir, o)), o.writeAfterMs).unref());
  }
  (globalThis as { [STATE]?: CodeCacheState })[STATE] = { use, written };
  const mod = { exports: {} };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(file), mod, file, dirname(file), pathToFileURL(file).href);
  return { use, written };
}

/** Any failure (a read-only home, a full disk) only costs the next start its speed-up. */
function writeCache(script: Script, dir: string, o: CodeCacheOptions): boolean {
  const tmp = join(dir, `.${o.name}.${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, join(dir, o.name));
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
    return false;
  }
  try {
    if (o.stale) for (const f of readdirSync(dir)) if (f !== o.name && o.stale.test(f)) unlinkSync(join(dir, f));
  } catch {
    // another start removed it first
  }
  return true;
}
