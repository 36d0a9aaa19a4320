import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { operatorFromEnv } from '../../src/session.js';
import { byNewest, jobNames, newJobId, readJob } from '../../src/jobs/job-store.js';

/** every job under dir, newest first, as the job watcher reads them */
const listJobs = (dir: string) => jobNames(dir).map((n) => readJob(dir, n)).sort(byNewest);

let dir: string;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const status = (id: string, over: object) => ({
  id, kind: 'deploy', title: 'OneDeploy', command: 'ansible-playbook', mutating: true, user: 'alice', startedAt: 1, state: 'succeeded', logFile: 'x', ...over,
});

describe('job store', () => {
  it('makes sortable ids', () => {
    expect(newJobId('plan', new Date(2026, 10, 27, 14, 2, 12))).toMatch(/^20261127-140212-plan-[0-9a-f]{4}$/);
  });

  it('lists jobs newest first; a corrupt status or a dead runner of a running job is lost', () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-'));
    const write = (id: string, text: string) => {
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'status.json'), text);
    };
    const dead = Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
    write('20261127-100000-plan-aaaa', JSON.stringify(status('20261127-100000-plan-aaaa', { startedAt: 1000 })));
    write('20261127-110000-deploy-bbbb', JSON.stringify(status('20261127-110000-deploy-bbbb', { startedAt: 2000, state: 'running', pid: dead })));
    write('20261127-120000-hooks-cccc', '{"state": "runn');
    mkdirSync(join(dir, 'not-a-job'));
    const jobs = listJobs(dir);
    expect(jobs.map((j) => [j.id, j.state])).toEqual([
      ['20261127-120000-hooks-cccc', 'lost'],
      ['20261127-110000-deploy-bbbb', 'lost'],
      ['20261127-100000-plan-aaaa', 'succeeded'],
    ]);
    expect(jobs[0].summary).toBe('status file is unreadable');
    expect(jobs[1].summary).toBe(`the job runner (pid ${dead}) died without recording a result`);
    expect(jobs[2].logFile).toBe(join(dir, '20261127-100000-plan-aaaa', 'output.log'));
  });

  it('a running job whose runner pid now belongs to another process (reused after a crash or reboot) is lost', () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-'));
    const id = '20261127-130000-apply-dddd';
    mkdirSync(join(dir, id));
    // this (living) process has that pid, but it started at another time than the runner did
    writeFileSync(join(dir, id, 'status.json'), JSON.stringify(status(id, { state: 'running', pid: process.pid, pidStart: 1 })));
    expect(listJobs(dir).map((j) => j.state)).toEqual(['lost']);
  });

  it('names the operator from $USER and $SSH_CONNECTION', () => {
    expect(operatorFromEnv({ USER: 'alice', SSH_CONNECTION: '10.0.0.5 51234 10.0.0.1 22' })).toEqual({ user: 'alice', from: '10.0.0.5' });
    expect(operatorFromEnv({ USER: 'bob' })).toEqual({ user: 'bob' });
  });
});
