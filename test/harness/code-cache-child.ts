// One start through runWithCodeCache, in a process of its own (V8 keeps what it compiled in a
// process, so a second start in the same one would not read the cache): prints what it found.
import { runWithCodeCache } from '../../src/cli/code-cache.js';

const [script, dir, name, mode] = process.argv.slice(2);
const r = runWithCodeCache(script, { dir: dir || undefined, name, stale: /^code-.*\.v8$/, writeAfterMs: 0, mayWrite: () => mode !== 'no-write' });
// the cache's timer does not keep a process alive (onedeck's own start ends when it is done): this one waits for it
const hold = setTimeout(() => {}, 60_000);
const written = await r.written;
clearTimeout(hold);
const runs = (globalThis as { ccRuns?: unknown[] }).ccRuns ?? [];
process.stdout.write(JSON.stringify({ use: r.use, written, runs }));
