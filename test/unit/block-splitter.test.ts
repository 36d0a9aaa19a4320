// The runner's chunk path (src/jobs/block-splitter.ts): output cut into chunks anywhere gives the
// same lines as the line-by-line splitter, nothing lost, and a secret or a `password=` pair cut by
// a chunk boundary is still masked whole.
import { describe, expect, it } from 'vitest';
import { BlockSplitter } from '../../src/jobs/block-splitter.js';
import { LineSplitter } from '../../src/jobs/line-splitter.js';
import { createMasker, MASK } from '../../src/jobs/mask.js';
import { fakeAccessKey } from '../harness/fake-credentials.js';

const MAX = 64;
const note = (head: string, n: number) => `${head} … [${n} more characters cut by onedeck]\n`;

/** what the runner writes for `chunks`: each block masked at once, each cut line via partial */
function viaBlocks(chunks: string[], mask = createMasker([])): string {
  let out = '';
  const s = new BlockSplitter({ lines: (t) => (out += mask(t)), cut: (h, n) => (out += note(mask.partial(h), n)) }, MAX);
  for (const c of chunks) s.write(c);
  s.end();
  return out;
}

/** the line-by-line reference */
function viaLines(text: string, mask = createMasker([])): string {
  let out = '';
  const s = new LineSplitter((l) => (out += l.cut ? note(l.text, l.cut) : `${mask(l.text)}\n`), { maxLine: MAX, maskPartial: mask.partial });
  s.write(text);
  s.end();
  return out;
}

/** a seeded random: the same cuts every run */
function prng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function cutAnywhere(text: string, rnd: () => number, max = 20): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rnd() * max);
    chunks.push(text.slice(i, i + n));
    i += n;
  }
  return chunks;
}

describe('BlockSplitter', () => {
  const secret = 'hunter2-Secret';
  const text = [
    'plain line one',
    '',
    `the secret ${secret} in the middle`,
    'password = swordfish and more',
    'Authorization: Bearer abc.def.ghi',
    `${fakeAccessKey('Q')} is an access key`,
    'x'.repeat(MAX),
    'y'.repeat(MAX + 1),
    `${'z'.repeat(MAX - 5)}${secret}`,
    'progress 10%\rprogress 50%\rprogress 100%\r\nwindows line\r\nlast line without a break',
  ].join('\n');

  it('gives the same log as line by line, whatever the chunks, and loses nothing', () => {
    const mask = createMasker([secret]);
    const want = viaLines(text, mask);
    expect(want).not.toContain(secret);
    expect(want).toContain(`password = ${MASK}`);
    const rnd = prng(13);
    for (let round = 0; round < 300; round++) {
      const chunks = cutAnywhere(text, rnd, round < 100 ? 4 : 40);
      expect(viaBlocks(chunks, mask)).toBe(want);
    }
    expect(viaBlocks([text], mask)).toBe(want);
  });

  it('masks a secret and a password= pair cut in two by a chunk boundary', () => {
    const mask = createMasker([secret]);
    const line = `here is ${secret} and password=swordfish\n`;
    for (let cut = 1; cut < line.length; cut++) {
      const out = viaBlocks([line.slice(0, cut), line.slice(cut)], mask);
      expect(out, `cut at ${cut}`).toBe(`here is ${MASK} and password=${MASK}\n`);
    }
  });

  it('a \\r at the end of a chunk and a \\n at the start of the next are one line break', () => {
    expect(viaBlocks(['a\r', '\nb\r', 'c\n'])).toBe('a\nb\nc\n');
  });

  it('a line longer than the cap keeps its head, however it comes, and says how much was cut', () => {
    const long = 'L'.repeat(10 * MAX);
    const want = `before\n${note('L'.repeat(MAX), 9 * MAX)}after\n`;
    expect(viaBlocks([`before\n${long}\nafter\n`])).toBe(want);
    expect(viaBlocks(['before\nLL', long.slice(2, 100), long.slice(100), '\nafter\n'])).toBe(want);
    // many short lines and a long one in one chunk bigger than the cap
    const many = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const big = `${many}\n${long}\n${many}\n`;
    expect(viaBlocks([big])).toBe(viaLines(big));
  });

  it('a secret whose beginning ends a cut line is not shown in part', () => {
    const mask = createMasker([secret]);
    const out = viaBlocks(['q'.repeat(MAX - 4), secret, 'tail of the long line\n'], mask);
    expect(out).not.toContain(secret.slice(0, 4));
    expect(out).toMatch(/ … \[\d+ more characters cut by onedeck\]\n$/);
  });
});
