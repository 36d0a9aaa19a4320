// fileMemo: a value computed again only when one of its files (or what else it reads) changed.
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileMemo } from '../../src/config/file-memo.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('fileMemo', () => {
  it('computes once while the files and the extra key stay; again after an edit, a replace by rename, a new file or another key', () => {
    dir = mkdtempSync(join(tmpdir(), 'memo-'));
    const a = join(dir, 'a.yaml');
    const absent = join(dir, 'not-yet.yaml');
    writeFileSync(a, 'one');
    const memo = fileMemo<number>();
    let calls = 0;
    const read = (extra = 'x') => memo([a, absent], extra, () => ++calls);
    expect([read(), read(), read()]).toEqual([1, 1, 1]);
    writeFileSync(a, 'two, longer');
    expect(read()).toBe(2);
    writeFileSync(join(dir, 'tmp'), 'three, longer still');
    renameSync(join(dir, 'tmp'), a);
    expect(read()).toBe(3);
    writeFileSync(absent, 'now here');
    expect(read()).toBe(4);
    expect(read('y')).toBe(5);
    expect(read('y')).toBe(5);
  });

  it('remembers a throw the same way: the same error until a file changes', () => {
    dir = mkdtempSync(join(tmpdir(), 'memo-'));
    const f = join(dir, 'creds.yaml');
    const memo = fileMemo<string>();
    let calls = 0;
    const read = () => memo([f], '', () => {
      calls++;
      throw new Error(`no file (${calls})`);
    });
    expect(read).toThrow('no file (1)');
    expect(read).toThrow('no file (1)');
    writeFileSync(f, 'x');
    expect(read).toThrow('no file (2)');
  });
});
