// The runner's write path: batched writes that lose nothing and keep the order.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchedWriter } from '../../src/jobs/batched-log.js';

describe('batchedWriter', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('writes everything in order, on flush, when a batch is full and at the end of the tick', async () => {
    dir = mkdtempSync(join(tmpdir(), 'onedeck-batch-'));
    const file = join(dir, 'log');
    const fd = openSync(file, 'a');
    const w = batchedWriter(fd, 10);
    w.write('é1\n');
    expect(readFileSync(file, 'utf8')).toBe(''); // held until the batch fills or the tick ends
    w.write('22222222222\n'); // past 10 characters: out at once
    expect(readFileSync(file, 'utf8')).toBe('é1\n22222222222\n');
    w.write('3\n');
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(file, 'utf8')).toBe('é1\n22222222222\n3\n');
    w.write('4\n');
    w.flush();
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('é1\n22222222222\n3\n4\n');
  });
});
