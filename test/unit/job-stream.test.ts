// Following a job headless: lines as the log grows, the end when the record is final, and
// letting go (ctrl-c) without waiting for the job.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followJob } from '../../src/cli/job-stream.js';
import type { JobRecord } from '../../src/domain/job.js';
import { createClusterStore } from '../../src/store/cluster-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-stream-'));
  dirs.push(dir);
  const logFile = join(dir, 'output.log');
  const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 });
  const job = (state: JobRecord['state']): JobRecord => ({ id: 'j1', kind: 'plan', title: 'tofu plan', command: 'tofu plan', mutating: true, user: 'alice', startedAt: 1, state, logFile });
  return { logFile, cluster, job };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`never happened: ${what}`);
}

describe('followJob', () => {
  it('waits for the record, streams every line in order as it is written, and ends with the final record', async () => {
    const { logFile, cluster, job } = setup();
    const lines: string[] = [];
    const ended = followJob(cluster, 'j1', { onLine: (l) => lines.push(l), pollMs: 10 });
    writeFileSync(logFile, 'one\n');
    cluster.setState({ jobs: [job('running')] });
    await until('the first line', () => lines.length === 1);
    appendFileSync(logFile, 'two\nthr');
    await until('the second line', () => lines.length === 2);
    appendFileSync(logFile, 'ee\n');
    cluster.setState({ jobs: [{ ...job('succeeded'), summary: 'done' }] });
    const end = await ended;
    expect(end).toMatchObject({ id: 'j1', state: 'succeeded', summary: 'done' });
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('a job that ends failed resolves with its record too', async () => {
    const { logFile, cluster, job } = setup();
    writeFileSync(logFile, 'Error: boom\n');
    cluster.setState({ jobs: [job('failed')] });
    const lines: string[] = [];
    expect(await followJob(cluster, 'j1', { onLine: (l) => lines.push(l), pollMs: 10 })).toMatchObject({ state: 'failed' });
    expect(lines).toEqual(['Error: boom']);
  });

  it('an abort lets go at once: undefined, the job still running', async () => {
    const { logFile, cluster, job } = setup();
    writeFileSync(logFile, 'working\n');
    cluster.setState({ jobs: [job('running')] });
    const ac = new AbortController();
    const lines: string[] = [];
    const ended = followJob(cluster, 'j1', { onLine: (l) => lines.push(l), pollMs: 10, signal: ac.signal });
    await until('the line', () => lines.length === 1);
    ac.abort();
    expect(await ended).toBeUndefined();
    expect(cluster.getState().jobs[0].state).toBe('running');
  });
});
