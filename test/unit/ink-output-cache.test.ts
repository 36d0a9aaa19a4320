// The bundle's faster Ink Output (scripts/ink-output-cache.mjs) draws exactly what Ink's own
// draws: the same operations (clips, styled and wide characters, overlaps) give the same string,
// frame after frame while the caches fill.
import { mkdtempSync, rmSync } from 'node:fs';
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
