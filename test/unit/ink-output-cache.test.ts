// The bundle's faster Ink Output (scripts/ink-output-cache.mjs) draws exactly what Ink's own
// draws: the same operations (clips, styled and wide characters, overlaps) give the same string,
// frame after frame while the caches fill.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { inkOutputCache } from '../../scripts/ink-output-cache.mjs';

type Out = { write(x: number, y: number, t: string, o: { transformers: ((s: string, i: number) => string)[] }): void; clip(c: object): void; unclip(): void; get(): { output: string; height: number } };
type OutCtor = new (o: { width: number; height: number }) => Out;

const dir = mkdtempSync(join(tmpdir(), 'onedeck-ink-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ink's package exports do not name build/output.js: found next to its entry point
const entry = join(dirname(createRequire(import.meta.url).resolve('ink')), 'output.js');

async function patchedOutput(): Promise<OutCtor> {
  const file = join(dir, 'output.mjs');
  await build({ entryPoints: [entry], outfile: file, bundle: true, platform: 'node', format: 'esm', plugins: [inkOutputCache], logLevel: 'silent' });
  return ((await import(pathToFileURL(file).href)) as { default: OutCtor }).default;
}

const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
const inv = (s: string) => `\x1b[7m${s}\x1b[27m`;

function frame(O: OutCtor, n: number): string {
  const o = new O({ width: 30, height: 6 });
  const up = (s: string) => s.toUpperCase();
  o.write(0, 0, `header ${n % 3}`, { transformers: [] });
  o.clip({ x1: 2, x2: 20, y1: 1, y2: 5 });
  o.write(0, 1, `${red('clipped on the left and on the right')}\n${inv('second')} row 漢字 ${n % 2}`, { transformers: [] });
  o.write(5, 2, 'over', { transformers: [up] });
  o.write(1, 4, 'too low\nand lower\nand out', { transformers: [] });
  o.unclip();
  o.write(28, 5, 'past the edge', { transformers: [] });
  o.write(0, 9, 'below the screen', { transformers: [] });
  // plain rows (no escape codes, narrow characters): box drawing, clipped, overlapping
  o.write(0, 3, `┌ Hosts ${n} ─── · ▸ ▲ ──┐`, { transformers: [] });
  o.clip({ x1: 3, x2: 12, y1: 0, y2: 6 });
  o.write(1, 5, `│ kvm-${n} ready · installed │`, { transformers: [] });
  o.write(6, 5, n % 2 ? '漢字' : 'ab', { transformers: [] });
  o.unclip();
  return o.get().output;
}

describe('the bundle’s Ink Output with caches across frames', () => {
  it('gives the same frames as Ink’s own Output', async () => {
    const Patched = await patchedOutput();
    const InkOutput = ((await import(pathToFileURL(entry).href)) as { default: OutCtor }).default;
    for (let n = 0; n < 6; n++) expect(frame(Patched, n)).toBe(frame(InkOutput, n));
    expect(frame(Patched, 1)).toContain('漢字');
  });
});

type Width = (s: string, o?: { ambiguousIsNarrow?: boolean }) => number;
async function patchedStringWidth(): Promise<Width> {
  const file = join(dir, 'string-width.mjs');
  const src = join(dir, 'sw-entry.mjs');
  writeFileSync(src, "export { default } from 'string-width';\n");
  await build({ entryPoints: [src], outfile: file, bundle: true, platform: 'node', format: 'esm', nodePaths: [join(process.cwd(), 'node_modules')], plugins: [inkOutputCache], logLevel: 'silent' });
  return ((await import(pathToFileURL(file).href)) as { default: Width }).default;
}

describe('the bundle’s string-width', () => {
  it('measures every text as string-width does', async () => {
    const fast = await patchedStringWidth();
    const slow = ((await import('string-width')) as { default: Width }).default;
    // each character of the BMP up to CJK, alone and next to letters, joiners, marks and selectors
    for (let c = 0; c < 0x2c00; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `a${ch}b`, `${ch}\u0301`, `${ch}\ufe0f`, `${ch}\u200d${ch}`, `\x1b[31m${ch}\x1b[39m─`]) {
        if (fast(s) !== slow(s)) expect([s, fast(s)]).toEqual([s, slow(s)]);
      }
    }
    for (const s of ['│▸ fe     frontend    ready · installed     MONITORED 4s │', '⌚ ☝🏻 ▶️ 1️⃣ 👩‍💻 漢字 ｶﾞ e\u0301', '±°×·—…→└┘', '']) {
      expect(fast(s)).toBe(slow(s));
      expect(fast(s, { ambiguousIsNarrow: false })).toBe(slow(s, { ambiguousIsNarrow: false }));
    }
  });
});
