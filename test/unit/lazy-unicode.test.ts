// The segmenter the bundle's string-width, slice-ansi and ansi-tokenize get (scripts/lazy-unicode.mjs):
// made on first use, and ASCII without a CR split without one; either way the segments Intl.Segmenter gives.
import { describe, expect, it } from 'vitest';
import { SEGMENTER_HELPER } from '../../scripts/lazy-unicode.mjs';

type Lazy = (...args: ConstructorParameters<typeof Intl.Segmenter>) => { segment(s: string): Intl.Segments };
const lazySegmenter = new Function(`${SEGMENTER_HELPER}\nreturn __lazySegmenter;`)() as Lazy;
const plain = (it: Iterable<Intl.SegmentData>) => [...it].map(({ segment, index, input }) => ({ segment, index, input }));

describe('the lazy segmenter', () => {
  const texts = ['', '\x1b[1m', '\x1b[38;2;10;20;30mkvm-1\x1b[39m', 'a\r\nb', '\r', 'tab\tend\n', 'café', 'e\u0301', '👍🏽 ok', '│ kvm-2 ▸ ─', '\x7f\x00\x1b', 'ﾃｽﾄ 漢字'];
  it.each(texts)('splits %j as Intl.Segmenter does', (t) => {
    expect(plain(lazySegmenter().segment(t))).toEqual(plain(new Intl.Segmenter().segment(t)));
    expect(plain(lazySegmenter(undefined, { granularity: 'grapheme' }).segment(t))).toEqual(plain(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(t)));
    // Segments.containing, for every index and a few outside
    const one = (d: Intl.SegmentData | undefined) => d && { segment: d.segment, index: d.index, input: d.input };
    for (const i of [-1, ...Array.from({ length: t.length + 1 }, (_, k) => k), 0.5, undefined]) {
      expect(one(lazySegmenter().segment(t).containing(i))).toEqual(one(new Intl.Segmenter().segment(t).containing(i)));
    }
  });

  it('leaves word segmentation to Intl.Segmenter', () => {
    const t = 'two words';
    expect(plain(lazySegmenter(undefined, { granularity: 'word' }).segment(t))).toEqual(plain(new Intl.Segmenter(undefined, { granularity: 'word' }).segment(t)));
  });
});
