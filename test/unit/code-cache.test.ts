// runWithCodeCache (src/cli/code-cache.ts, how dist/onedeck.js starts the bundle): the script
// runs as a CommonJS module whatever the cache holds; a start without a usable cache writes one
// (owner-only, whole), a later start uses it, and a broken or unwritable cache costs nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

let dir: string;
let script: string;
const child = join(import.meta.dirname, '../harness/code-cache-child.ts');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-code-cache-'));
  script = join(dir, 'bundle.cjs');
  writeFileSync(script, "const { sep } = require('node:path');\nfunction twice(n) { return n * 2; }\n(globalThis.ccRuns ??= []).push({ file: __filename, url: __importMetaUrl, sep, n: twice(21) });\nmodule.exports = 1;\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cacheDir = () => join(dir, 'cache');
type Start = { use: string; written: boolean; runs: { file: string; url: string; sep: string; n: number }[] };
/** one start, in a process of its own as each start of onedeck is */
const run = (cache: string | undefined = cacheDir()): Start => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child, script, cache ?? '', 'code-b1.v8'], { encoding: 'utf8' })) as Start;
const ran = (s: Start) => expect(s.runs).toEqual([{ file: script, url: pathToFileURL(script).href, sep: '/', n: 42 }]);

describe('runWithCodeCache', () => {
  it('writes the cache after a start without one, owner-only, and the next start uses it', () => {
    const first = run();
    expect([first.use, first.written]).toEqual(['none', true]);
    ran(first);
    expect(statSync(join(cacheDir(), 'code-b1.v8')).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const second = run();
    expect([second.use, second.written]).toEqual(['used', false]);
    ran(second);
    expect(readdirSync(cacheDir())).toEqual(['code-b1.v8']);
  });

  it('a broken cache is rejected, the script runs, and a good cache replaces it', () => {
    run();
    writeFileSync(join(cacheDir(), 'code-b1.v8'), Buffer.alloc(4096, 7));
    const broken = run();
    expect([broken.use, broken.written]).toEqual(['rejected', true]);
    ran(broken);
    expect(run().use).toBe('used');
  });

  it('a changed script of the same length is not run from the old cache when its name changes', () => {
    run();
    writeFileSync(script, readFileSync(script, 'utf8').replace('n * 2', 'n + n'));
    // the caller names the cache by the script's contents (boot.ts: a hash of the bundle)
    const r = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child, script, cacheDir(), 'code-b2.v8'], { encoding: 'utf8' })) as Start;
    expect([r.use, r.written]).toEqual(['none', true]);
    ran(r);
    expect(readdirSync(cacheDir())).toEqual(['code-b2.v8']);
  });

  it('writes nothing when, by the time the cache is due, it may not (a read-only session)', () => {
    const r = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child, script, cacheDir(), 'code-b1.v8', 'no-write'], { encoding: 'utf8' })) as Start;
    expect([r.use, r.written]).toEqual(['none', false]);
    ran(r);
    expect(existsSync(cacheDir())).toBe(false);
  });

  it('an unwritable cache directory only means no cache; no cache directory, no cache at all', () => {
    writeFileSync(join(dir, 'file'), '');
    const r = run(join(dir, 'file', 'cache'));
    expect([r.use, r.written]).toEqual(['none', false]);
    ran(r);
    const off = run('');
    expect([off.use, off.written]).toEqual(['off', false]);
    ran(off);
  });

  it('the script sees how it was started, and a V8 flag it changes once its cache is written keeps the cache good', () => {
    // V8 stamps a cache with a hash of its flags as they are when the cache is made (src/main.ts
    // changes --semi-space-growth-factor after its first frame)
    const flagAt = (when: 'written' | 'start') =>
      writeFileSync(script, `const s = globalThis[Symbol.for('onedeck.code-cache')];\n(globalThis.ccRuns ??= []).push({ use: s.use });\nconst flag = () => require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');\n${when === 'written' ? 's.written.then(flag);' : 'flag();'}\n`);
    flagAt('written');
    const first = run();
    expect([first.use, first.written, first.runs]).toEqual(['none', true, [{ use: 'none' }]]);
    expect(run().runs).toEqual([{ use: 'used' }]);
    expect(run().runs).toEqual([{ use: 'used' }]);
    // the mistake this guards against: the flag changed before the cache is made
    rmSync(cacheDir(), { recursive: true });
    flagAt('start');
    run();
    expect(run().runs).toEqual([{ use: 'rejected' }]);
  });
});
