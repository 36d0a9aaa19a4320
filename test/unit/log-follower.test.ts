import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogFollower } from '../../src/jobs/log-follower.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { createClusterStore } from '../../src/store/cluster-store.js';

let dir: string;
let f: LogFollower | undefined;
afterEach(() => {
  f?.stop();
  rmSync(dir, { recursive: true, force: true });
});
const hub = () =>
  new LogHub(createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 }));
const texts = (h: LogHub) => h.buffer('job:x').slice(0, 1e6).map((l) => l.text);

describe('log follower', () => {
  it('counts a flood it fell behind without reading it into lines: the tail is held, the rest is older on disk', () => {
    dir = mkdtempSync(join(tmpdir(), 'follow-'));
    const file = join(dir, 'output.log');
    writeFileSync(file, 'first line\nhalf of a ');
    const h = hub();
    f = new LogFollower(file, h, 'job:x', { pollMs: 60_000 });
    f.start();
    // 6 MB in one go: more than the follower reads line by line
    const n = 60_000;
    const pad = 'x'.repeat(90);
    appendFileSync(file, 'line\n' + Array.from({ length: n }, (_, i) => `flood ${i} ${pad}\n`).join(''));
    f.poll();
    const b = h.buffer('job:x');
    expect(b.total()).toBe(2 + n); // every line is counted: first, the completed half line, the flood
    expect(b.first()).toBeGreaterThan(2);
    const held = texts(h);
    expect(held.length).toBe(b.total() - b.first());
    expect(held.length).toBeLessThan(n);
    // what is held is the end of the log, whole and in order
    const firstHeld = b.first() - 2;
    expect(held).toEqual(Array.from({ length: held.length }, (_, i) => `flood ${firstHeld + i} ${pad}`));
    appendFileSync(file, 'after\n');
    f.poll();
    expect(texts(h).slice(-1)).toEqual(['after']);
    expect(b.total()).toBe(3 + n);
  });

  it('loads only the last lines of an existing log, then appends complete new lines (partial ones wait)', () => {
    dir = mkdtempSync(join(tmpdir(), 'follow-'));
    const file = join(dir, 'output.log');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `old ${i}`).join('\n') + '\n');
    const h = hub();
    f = new LogFollower(file, h, 'job:x', { initialLines: 10, pollMs: 60_000 });
    f.start();
    expect(texts(h)).toEqual(Array.from({ length: 10 }, (_, i) => `old ${i + 40}`));
    appendFileSync(file, 'new 1\nnew 2 part');
    f.poll();
    expect(texts(h).slice(-1)).toEqual(['new 1']);
    appendFileSync(file, 'ial\r\n');
    f.poll();
    expect(texts(h).slice(-2)).toEqual(['new 1', 'new 2 partial']);
  });

  it('keeps a multi-byte character whole when a read ends in the middle of it', () => {
    dir = mkdtempSync(join(tmpdir(), 'follow-'));
    const file = join(dir, 'output.log');
    writeFileSync(file, '');
    const h = hub();
    f = new LogFollower(file, h, 'job:x', { pollMs: 60_000 });
    f.start();
    const line = Buffer.from('TASK [Gerät prüfen] ✓\n', 'utf8');
    const cut = line.indexOf(Buffer.from('✓', 'utf8')) + 1; // inside the 3-byte ✓
    appendFileSync(file, line.subarray(0, cut));
    f.poll();
    appendFileSync(file, line.subarray(cut));
    f.poll();
    expect(texts(h)).toEqual(['TASK [Gerät prüfen] ✓']);
  });

  it('waits for a log that does not exist yet, and starts over when the file is replaced', () => {
    dir = mkdtempSync(join(tmpdir(), 'follow-'));
    const file = join(dir, 'output.log');
    const h = hub();
    f = new LogFollower(file, h, 'job:x', { pollMs: 60_000 });
    f.start();
    f.poll();
    expect(texts(h)).toEqual([]);
    writeFileSync(file, 'first line that is long\n');
    f.poll();
    writeFileSync(file, 'b\n');
    f.poll();
    expect(texts(h)).toEqual(['first line that is long', 'b']);
  });
});
