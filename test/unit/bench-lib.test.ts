// The bench harness's parsing and measuring functions (the bench itself is not part of npm test).
import { describe, expect, it } from 'vitest';
import { countClears, countFloodLines, cpuTicks, figureLine, ok, percentile, rssBytes, selectedIn, stripAnsi } from '../bench/lib.js';

describe('bench lib', () => {
  it('reads what a terminal received: text, clears and the selected host', () => {
    const frame = '\x1b[?2026h\x1b[2K\x1b[1A\x1b[38;5;2m▸ \x1b[39m\x1b[7mkvm-2\x1b[27m  ok\x1b]0;title\x07\x1b[?2026l';
    expect(stripAnsi(frame)).toBe('▸ kvm-2  ok');
    expect(selectedIn(frame)).toBe('kvm-2');
    expect(selectedIn('▸ fe\n▸ kvm-1')).toBe('kvm-1');
    expect(selectedIn('no marker')).toBeUndefined();
    expect(countClears('a\x1b[2J\x1b[3J\x1b[Hb\x1bc')).toBe(2);
    expect(countClears('\x1b[2K\x1b[J')).toBe(0);
  });

  it('reads /proc: cpu ticks after a command name with spaces, and VmRSS', () => {
    const stat = '1234 (node my app) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 11 0 5000 1000000 2000';
    expect(cpuTicks(stat)).toBe(325);
    expect(rssBytes('Name:\tnode\nVmRSS:\t  2048 kB\n')).toBe(2048 * 1024);
  });

  it('takes nearest-rank percentiles', () => {
    const s = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 95)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('counts the flood lines on disk, each number once', () => {
    const log = '$ node flood.mjs\nflood 0000000 x\nflood 0000002 y\nflood 0000002 y\n# succeeded\n';
    expect(countFloodLines(log, 3)).toEqual({ found: 2, missing: 1 });
  });

  it('prints a figure with its ratio to bare node and its verdict', () => {
    const f = { name: 'first frame', value: 300, unit: 'ms' as const, bound: 396, ratio: 2.27 };
    expect(ok(f)).toBe(true);
    expect(figureLine(f)).toMatch(/^first frame +300 ms \(2\.27x node\) +bound +396 ms +ok$/);
    expect(ok({ ...f, value: NaN })).toBe(false);
    expect(figureLine({ name: 'rss', value: 200 * 1024 * 1024, unit: 'B', bound: 150 * 1024 * 1024 })).toMatch(/200\.0 MB +bound +150\.0 MB +OVER/);
  });
});
