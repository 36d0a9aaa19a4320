// Job lifecycle through the detached runner: cancel leaves no process of the job's group behind,
// two onedeck processes cannot run two mutating jobs, a job outlives the TUI that started it and
// the next onedeck shows its result, and a secret canary reaches no file and no pane.
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILES, jobDir, readJob } from '../../src/jobs/job-store.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { groupMembers, isAlive } from '../../src/jobs/proc.js';
import { ALICE, ensureRunner, finished, FIXTURES, makeRig, makeService, ROOT, RUNNER, until, type Rig } from './jobs-helpers.js';
import { fakeSecretKey } from '../harness/fake-credentials.js';

let rig: Rig | undefined;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  await ensureRunner();
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  rig?.cleanup();
  rig = undefined;
});

/** A rig whose ansible-playbook is `script` and whose inventory and hooks.yml exist. */
function rigWithTool(script: string): Rig {
  const r = makeRig({ ansible_playbook: '{dir}/tool.sh' });
  const tool = join(r.dir, 'tool.sh');
  writeFileSync(tool, `#!/bin/sh\n${script}\n`);
  chmodSync(tool, 0o755);
  writeFileSync(join(r.config.paths.ansible, 'hooks.yml'), '');
  writeFileSync(join(r.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
  return r;
}

describe('job lifecycle', () => {
  it('cancel: SIGINT to the whole group, then SIGKILL; no process of the group remains', async () => {
    rig = makeRig({ ansible_playbook: join(FIXTURES, 'fake-spawner.sh') });
    writeFileSync(join(rig.config.paths.ansible, 'hooks.yml'), '');
    writeFileSync(join(rig.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
    const { service, cluster } = makeService(rig, { killGraceMs: 1000 });
    cleanups.push(() => service.stop());
    const id = await service.playbook(ALICE, 'hooks');
    const jobsDir = rig.paths.jobsDir;
    const pgid = readJob(jobsDir, id).pgid!;
    await until('the grandchildren to run', () => groupMembers(pgid).length >= 3 && readFileSync(readJob(jobsDir, id).logFile, 'utf8').includes('spawned'));
    cleanups.push(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* gone, as it should be */
      }
    });
    expect(cluster.getState().lockHolder?.jobId).toBe(id);
    await service.cancel(ALICE, id);
    const job = await finished(rig, id, 15_000);
    expect(job.state).toBe('cancelled');
    expect(groupMembers(pgid)).toEqual([]);
    const log = readFileSync(job.logFile, 'utf8');
    expect(log).toContain(`# cancel requested (SIGINT): SIGINT to process group ${pgid}`);
    // background jobs of sh ignore SIGINT: the escalation to SIGKILL ended them
    expect(log).toContain(`# still running after 1s: SIGKILL to process group ${pgid}`);
    expect(existsLock(rig)).toBe(false);
  });

  it('a cancel arriving after the tool has exited 0 (while the runner finishes up) does not turn the success into "cancelled"', async () => {
    // the background sleep keeps the output pipe open: the runner waits for it before finishing
    rig = rigWithTool('echo applied; sleep 30 & exit 0');
    const { service } = makeService(rig);
    cleanups.push(() => service.stop());
    const id = await service.playbook(ALICE, 'hooks');
    const jobsDir = rig.paths.jobsDir;
    const rec = readJob(jobsDir, id);
    const pgid = rec.pgid!;
    cleanups.push(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
    });
    await until('the tool to exit while its runner still runs', () => !isAlive(pgid) && readJob(jobsDir, id).state === 'running');
    await service.cancel(ALICE, id);
    const job = await finished(rig, id, 15_000);
    expect(job.state).toBe('succeeded');
    expect(job.exitCode).toBe(0);
    expect(readFileSync(job.logFile, 'utf8')).toContain('the tool has already exited');
  });

  it('two onedeck processes cannot run two mutating jobs at once', async () => {
    rig = rigWithTool('echo working; sleep 2; echo done');
    const one = makeService(rig);
    const two = makeService(rig);
    cleanups.push(() => one.service.stop(), () => two.service.stop());
    // both at once: exactly one wins the machine-wide lock
    const results = await Promise.allSettled([one.service.playbook(ALICE, 'hooks'), two.service.playbook(ALICE, 'hooks')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const id = (won[0] as PromiseFulfilledResult<string>).value;
    expect(String(lost[0].reason.message)).toMatch(new RegExp(`^another mutating job is running: job ${id} \\(hooks\\) started by alice from 10\\.0\\.0\\.5 at \\d\\d:\\d\\d — wait for it or cancel it with :cancel$`));
    // and later too, from the other process, while the first runs
    await expect(two.service.plan(ALICE)).rejects.toThrow(`another mutating job is running: job ${id}`);
    two.service.refresh();
    expect(two.cluster.getState().lockHolder).toMatchObject({ jobId: id, user: 'alice', from: '10.0.0.5' });
    const job = await finished(rig, id);
    expect(job.state).toBe('succeeded');
    // once it ends, the other process may start one
    const next = await two.service.playbook(ALICE, 'hooks');
    expect((await finished(rig, next)).state).toBe('succeeded');
  });

  it('a job survives the TUI that started it; the next onedeck shows its result and log', async () => {
    rig = rigWithTool('echo working; sleep 1.5; echo "finished work"; exit 3');
    const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, 'tui-stand-in.ts'), rig.dir, RUNNER], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const id = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
    });
    const running = readJob(rig.paths.jobsDir, id);
    expect(running.state).toBe('running');
    child.kill('SIGKILL');
    await until('the TUI stand-in to die', () => !isAlive(child.pid));
    expect(isAlive(running.pid)).toBe(true); // the runner lives on
    // a new onedeck starts while the job still runs: it shows it running and tails it
    const next = makeService(rig);
    cleanups.push(() => next.service.stop());
    next.service.start();
    expect(next.cluster.getState().jobs.find((j) => j.id === id)?.state).toBe('running');
    const job = await finished(rig, id);
    expect(job).toMatchObject({ state: 'failed', exitCode: 3, user: 'bob' });
    await until('the result in the new store', () => next.cluster.getState().jobs.find((j) => j.id === id && j.state === 'failed'));
    await until('the whole log in the new pane', () => next.hub.buffer(jobLogId(id)).slice(0, 100).some((l) => l.text === 'finished work'));
    const lines = next.hub.buffer(jobLogId(id)).slice(0, 100).map((l) => l.text);
    expect(lines).toContain('working');
    // a third onedeck, after the end, shows the finished job's result and loads its log
    const third = makeService(rig);
    third.service.start();
    cleanups.push(() => third.service.stop());
    expect(third.cluster.getState().jobs.find((j) => j.id === id)).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(third.hub.buffer(jobLogId(id)).slice(0, 100).map((l) => l.text)).toContain('finished work');
  });

  it('a secret canary reaches no file of the job and no pane line', async () => {
    const CANARY = 'canary-7f3e9a1b5c';
    const SCW_SECRET = fakeSecretKey('3');
    rig = makeRig({ ansible_playbook: join(FIXTURES, 'fake-echo.sh') });
    writeFileSync(join(rig.config.paths.ansible, 'hooks.yml'), '');
    writeFileSync(join(rig.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
    const { service, hub, logs } = makeService(rig, { secrets: () => ({ ONE_PASSWORD: CANARY, SCW_SECRET_KEY: SCW_SECRET }) });
    cleanups.push(() => service.stop());
    const id = await service.playbook(ALICE, 'hooks');
    const job = await finished(rig, id);
    expect(job.state).toBe('succeeded');
    const dir = jobDir(rig.paths.jobsDir, id);
    const log = readFileSync(join(dir, FILES.log), 'utf8');
    expect(log).toContain('ONE_PASSWORD=********'); // the tool did see it, and it was masked
    expect(log).toContain('SCW_SECRET_KEY=********');
    for (const f of readdirSync(dir, { recursive: true }) as string[]) {
      const p = join(dir, f);
      if (!statSync(p).isFile()) continue;
      const text = readFileSync(p, 'utf8');
      expect(text, f).not.toContain(CANARY);
      expect(text, f).not.toContain(SCW_SECRET);
    }
    logs.open(jobLogId(id));
    await until('the log in the hub', () => hub.buffer(jobLogId(id)).slice(0, 1000).some((l) => l.text.startsWith('# succeeded')));
    const lines = hub.buffer(jobLogId(id)).slice(0, 1000).map((l) => l.text).join('\n');
    expect(lines).not.toContain(CANARY);
    expect(lines).not.toContain(SCW_SECRET);
    // a secret that would land in the command line is refused before anything is written
    await expect(service.playbook(ALICE, 'hooks', [CANARY])).rejects.toThrow('would be written');
  });
});

function existsLock(r: Rig): boolean {
  try {
    statSync(r.paths.lockFile);
    return true;
  } catch {
    return false;
  }
}
