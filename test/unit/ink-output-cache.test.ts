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
// as chalk colours a text: its close code inside the text reopens the colour
const chalkGreen = (s: string) => `\x1b[32m${s.replaceAll('\x1b[39m', '\x1b[39m\x1b[32m')}\x1b[39m`;

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

// random frames: texts of styled runs (colours, bold and dim, inverse, resets), plain and wide
// characters, overlapping writes, writes past the right edge, clipped and not
const STYLES = ['\x1b[31m', '\x1b[39m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[7m', '\x1b[27m', '\x1b[0m', '\x1b[38;5;33m', '\x1b[48;2;1;2;3m', '\x1b[49m', '\x1b[4m', '\x1b[24m'];
const WORDS = ['│', '─', 'kvm-1', ' ', '▸', 'healthy', '·', '漢', 'é', 'e\u0301', '⌚', 'x'];
function randomFrame(O: OutCtor, seed: number): string {
  let r = seed;
  const rnd = (n: number) => ((r = (r * 1103515245 + 12345) % 2147483648) >>> 0) % n;
  const o = new O({ width: 24, height: 4 });
  for (let w = 0; w < 8; w++) {
    let text = '';
    for (let k = 0, n = 1 + rnd(6); k < n; k++) text += rnd(3) === 0 ? STYLES[rnd(STYLES.length)] : WORDS[rnd(seed % 3 === 0 ? WORDS.length : 7)];
    if (rnd(4) === 0) o.clip({ x1: rnd(6), x2: 10 + rnd(14), y1: 0, y2: 4 });
    o.write(rnd(26), rnd(4), text, { transformers: rnd(3) === 0 ? [red] : rnd(3) === 0 ? [chalkGreen] : [] });
    o.unclip();
  }
  return o.get().output;
}

describe('the bundle’s Ink Output with caches across frames', () => {
  it('gives the same random frames as Ink’s own Output', async () => {
    const Patched = await patchedOutput();
    const InkOutput = ((await import(pathToFileURL(entry).href)) as { default: OutCtor }).default;
    for (let seed = 1; seed < 400; seed++) expect([seed, randomFrame(Patched, seed)]).toEqual([seed, randomFrame(InkOutput, seed)]);
  });

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

// A small terminal for what log-update writes: cursor moves (up, next line, column), erases,
// newlines and text with SGR styles; the screen is rows of cells "style|char".
type Tok = { type: string; value?: string; code?: string; endCode?: string };
type AnsiTok = { tokenize(s: string): Tok[]; reduceAnsiCodesIncremental(a: Tok[], b: Tok[]): Tok[]; ansiCodesToString(a: Tok[]): string };
function screenOf(ansi: AnsiTok, writes: string[], rows: number): string[] {
  const screen: string[][] = Array.from({ length: rows }, () => []);
  let x = 0;
  let y = 0;
  let styles: Tok[] = [];
  // eslint-disable-next-line no-control-regex
  const CTRL = /\x1b\[(\d*)([AEGK])|\x1b\[(\d*)J|\x1b\[\?25[lh]|\x1b\[[0-9;]*m|\n|\r/g;
  for (let w of writes) {
    // as views/app/ink-stdout.ts corrects Ink's frames (one row more up)
    w = w.replace(/^\x1b\[(\d+)A/, (_m, n: string) => `\x1b[${Number(n) + 1}A`);
    let at = 0;
    const text = (s: string) => {
      for (const ch of s) screen[y][x++] = `${ansi.ansiCodesToString(styles)}|${ch}`;
    };
    for (const m of w.matchAll(CTRL)) {
      text(w.slice(at, m.index));
      at = m.index + m[0].length;
      const n = Number(m[1] || 1);
      if (m[0] === '\n') { y = Math.min(rows - 1, y + 1); x = 0; }
      else if (m[0] === '\r') x = 0;
      else if (m[2] === 'A') y = Math.max(0, y - n);
      else if (m[2] === 'E') { y = Math.min(rows - 1, y + n); x = 0; }
      else if (m[2] === 'G') x = n - 1;
      else if (m[2] === 'K') screen[y].length = x;
      else if (m[0].endsWith('m')) for (const t of ansi.tokenize(m[0])) styles = ansi.reduceAnsiCodesIncremental(styles, [t]);
    }
    text(w.slice(at));
  }
  return screen.map((r) => Array.from(r, (c) => c ?? '| ').join('').replace(/(\| )+$/, ''));
}

type LogUpdate = { create(s: { write(x: string): boolean; rows: number; columns: number; isTTY: boolean }, o: { incremental: boolean }): (s: string) => void };
async function patchedLogUpdate(): Promise<LogUpdate> {
  const file = join(dir, 'log-update.mjs');
  await build({ entryPoints: [join(dirname(entry), 'log-update.js')], outfile: file, bundle: true, platform: 'node', format: 'esm', plugins: [inkOutputCache], logLevel: 'silent' });
  return ((await import(pathToFileURL(file).href)) as { default: LogUpdate }).default;
}

describe('the bundle’s incremental renderer', () => {
  it('writes only the changed columns of a row, and the screen shows the new frame', async () => {
    const logUpdate = await patchedLogUpdate();
    const stockLogUpdate = ((await import(pathToFileURL(join(dirname(entry), 'log-update.js')).href)) as { default: LogUpdate }).default;
    const ansi = (await import('@alcalzone/ansi-tokenize')) as unknown as AnsiTok;
    const Patched = await patchedOutput();
    let bytes = 0;
    for (let seed = 1; seed < 150; seed++) {
      const writes: string[] = [];
      const stream = { write: (s: string) => (writes.push(s), (bytes += s.length), true), rows: 10, columns: 24, isTTY: true };
      const log = logUpdate.create(stream, { incremental: true });
      const a = `${randomFrame(Patched, seed)}\n`;
      const b = `${randomFrame(Patched, seed % 7 === 0 ? seed : seed + 1000)}\n`;
      log(a);
      log(b);
      // Ink's own renderer, the same two frames: the same screen
      const stock: string[] = [];
      const inks = stockLogUpdate.create({ ...stream, write: (s: string) => (stock.push(s), true) }, { incremental: true });
      inks(a);
      inks(b);
      expect([seed, screenOf(ansi, writes, 10)]).toEqual([seed, screenOf(ansi, stock, 10)]);
    }
    // a one-word change of a long bordered row is a few bytes, not the row
    const writes: string[] = [];
    const log = logUpdate.create({ write: (s: string) => (writes.push(s), true), rows: 10, columns: 200, isTTY: true }, { incremental: true });
    const row = (w: string) => `\x1b[36m│\x1b[39mScaleway    ${w} · EM-A610R-NVMe · fr-par-2${' '.repeat(150)}\x1b[36m│\x1b[39m\n`;
    log(row('ready'));
    log(row('stale'));
    expect(writes.at(-1)!.length).toBeLessThan(40);
    expect(bytes).toBeGreaterThan(0);
  });
});

describe('the bundle’s slice-ansi', () => {
  it('cuts every text as slice-ansi does', async () => {
    const file = join(dir, 'slice-ansi.mjs');
    const src = join(dir, 'slice-entry.mjs');
    writeFileSync(src, "export { default } from 'slice-ansi';\n");
    await build({ entryPoints: [src], outfile: file, bundle: true, platform: 'node', format: 'esm', nodePaths: [join(process.cwd(), 'node_modules')], plugins: [inkOutputCache], logLevel: 'silent' });
    type Slice = (s: string, from: number, to?: number) => string;
    const fast = ((await import(pathToFileURL(file).href)) as { default: Slice }).default;
    const slow = ((await import('slice-ansi')) as { default: Slice }).default;
    let r = 7;
    const rnd = (n: number) => ((r = (r * 1103515245 + 12345) % 2147483648) >>> 0) % n;
    const parts = [...STYLES, ...WORDS, '\x1b]8;;http://x\x07link\x1b]8;;\x07', '\x1b[2K', '\u00ad', '\u200d', '\ufe0f', 'ｶ'];
    for (let n = 0; n < 3000; n++) {
      let s = '';
      for (let k = 0, m = 1 + rnd(10); k < m; k++) s += parts[rnd(n % 4 === 0 ? parts.length : STYLES.length + 7)];
      const from = rnd(6);
      const to = rnd(3) === 0 ? undefined : from + rnd(12);
      expect([s, from, to, fast(s, from, to)]).toEqual([s, from, to, slow(s, from, to)]);
    }
  });
});
