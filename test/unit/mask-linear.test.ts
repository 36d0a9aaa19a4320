// Masking stays linear in the line length: a line of 100,000 letters took 35 s with the old
// `[a-z_]*flexible_ip_token` pattern, 50 MB kept the runner busy for minutes. These lines are masked
// correctly here; a quadratic masker would not finish them before the test's timeout. The time
// of n against 4n is printed, never asserted.
import { describe, expect, it } from 'vitest';
import { createMasker, MASK } from '../../src/jobs/mask.js';
import { LineSplitter } from '../../src/jobs/line-splitter.js';
import { fakeSecretKey } from '../harness/fake-credentials.js';

const SECRET = fakeSecretKey('7');
const mask = createMasker([SECRET]);

function timed(n: number): number {
  const line = 'a'.repeat(n);
  const t = process.hrtime.bigint();
  expect(mask(line)).toBe(line);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

describe('masking long runs of letters', () => {
  it('a line of 100,000 letters, with tokens around it, is masked right', () => {
    const letters = 'x'.repeat(100_000);
    const line = `${letters} scw_flexible_ip_token=abcdef123456 ${letters}flexible_ip_token: zzz ${SECRET} ${letters}`;
    const out = mask(line);
    expect(out).toBe(`${letters} scw_flexible_ip_token=${MASK} ${letters}flexible_ip_token: ${MASK} ${MASK} ${letters}`);
  }, 10_000);

  it('a 5 MB line of letters (a base64 blob) passes unchanged, and a token at its end is still masked', () => {
    const blob = 'QUFB'.repeat(5 * 1024 * 1024 / 4);
    expect(mask(blob)).toBe(blob);
    const withToken = `${blob} one_flexible_ip_token=s3cr3t-value password=hunter22 ${SECRET}`;
    expect(mask(withToken)).toBe(`${blob} one_flexible_ip_token=${MASK} password=${MASK} ${MASK}`);
  }, 20_000);

  it('prints the time of n and 4n letters (a linear masker takes about 4 times as long)', () => {
    timed(50_000);
    const n = timed(250_000);
    const n4 = timed(1_000_000);
    console.log(`mask: 250k letters ${n.toFixed(1)} ms, 1M letters ${n4.toFixed(1)} ms, ratio ${(n4 / n).toFixed(1)}`);
  }, 20_000);
});

describe('the runner keeps a huge line in bounded memory', () => {
  it('keeps the head of a line past the cap, says how much was cut, and never shows part of a secret', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(mask(l.text) + (l.cut ? ` … [${l.cut} more bytes cut by onedeck]` : '')), { maxLine: 1000, maskPartial: mask.partial });
    s.write('first\nsecond ');
    s.write('z'.repeat(990));
    s.write(`${SECRET} and more`); // the secret straddles the cap
    for (let i = 0; i < 100; i++) s.write('y'.repeat(1024 * 1024));
    s.write('\nlast');
    s.end();
    expect(lines[0]).toBe('first');
    expect(lines[1].startsWith(`second ${'z'.repeat(990)}`)).toBe(true);
    expect(lines[1]).toMatch(/ … \[\d+ more bytes cut by onedeck\]$/);
    expect(lines[1]).not.toContain(SECRET.slice(0, 3));
    expect(lines[1].length).toBeLessThan(1100);
    expect(lines[2]).toBe('last');
    expect(s.buffered).toBe(0);
  });

  it('splits on \\n, \\r\\n and a lone \\r as readline does (also across chunks), and keeps an unterminated last line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l.text), { maxLine: 100, maskPartial: mask.partial });
    s.write('a\r\nb');
    s.write('c\n\nd\r');
    s.write('\ne\rf\r');
    s.write('g');
    s.end();
    expect(lines).toEqual(['a', 'bc', '', 'd', 'e', 'f', 'g']);
  });
});
