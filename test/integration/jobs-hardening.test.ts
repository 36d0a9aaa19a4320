// The runner under hostile output and inherited secrets: a 50 MB line (measured), an endless line
// that `x` still cancels, and a malformed SCW_SECRET_KEY in the inherited environment is masked.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readJob } from '../../src/jobs/job-store.js';
import { lockHolder } from '../../src/jobs/lock.js';
import { groupMembers } from '../../src/jobs/proc.js';
import { ALICE, ensureRunner, finished, makeRig, makeService, until, type Rig } from './jobs-helpers.js';

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

function rigWithTool(script: string): Rig {
  const r = makeRig({ ansible_playbook: '{dir}/tool.sh' });
  const tool = join(r.dir, 'tool.sh');
  writeFileSync(tool, `#!/bin/sh\n${script}\n`);
  chmodSync(tool, 0o755);
  writeFileSync(join(r.config.paths.ansible, 'hooks.yml'), '');
  writeFileSync(join(r.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
  return r;
}

describe('the runner under hostile output', () => {
  it('a 50 MB line of letters passes (cut to its head), the lines after it arrive, the lock is freed', async () => {
    rig = rigWithTool("head -c 52428800 /dev/zero | tr '\\0' 'A'\necho\necho after-the-blob\necho one_pass=hunter2hunter2");
    const { service } = makeService(rig);
    cleanups.push(() => service.stop());
    const started = Date.now();
    const id = await service.playbook(ALICE, 'hooks');
    const job = await finished(rig, id, 120_000);
    console.log(`runner: a 50 MB line took ${((Date.now() - started) / 1000).toFixed(1)} s end to end`);
    expect(job.state).toBe('succeeded');
    const log = readFileSync(job.logFile, 'utf8');
    expect(log).toMatch(/^A{262144} … \[52166656 more characters cut by onedeck\]$/m);
    expect(log).toContain('after-the-blob');
    expect(log).toContain('one_pass=********');
    expect(log.length).toBeLessThan(1024 * 1024);
    expect(lockHolder(rig.paths.lockFile)).toBeUndefined();
  }, 150_000);

  it('an endless line: `x` (cancel) still ends the job and its group', async () => {
    rig = rigWithTool("tr '\\0' 'a' < /dev/zero");
    const { service } = makeService(rig, { killGraceMs: 1000 });
    cleanups.push(() => service.stop());
    const id = await service.playbook(ALICE, 'hooks');
    const pgid = readJob(rig.paths.jobsDir, id).pgid!;
    cleanups.push(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
    });
    // the runner is reading the line (it has been running for a while)
    await until('output to flow', () => groupMembers(pgid).length > 0 && readJob(rig!.paths.jobsDir, id).state === 'running');
    await service.cancel(ALICE, id);
    const job = await finished(rig, id, 30_000);
    expect(job.state).toBe('cancelled');
    expect(groupMembers(pgid)).toEqual([]);
  }, 60_000);
});

describe('inherited secrets', () => {
  it('a malformed SCW_SECRET_KEY (not a UUID) that reaches the tool is masked anyway', async () => {
    const BAD = 'not-a-uuid-but-secret-42';
    const saved = process.env.SCW_SECRET_KEY;
    process.env.SCW_SECRET_KEY = BAD;
    cleanups.push(() => {
      if (saved === undefined) delete process.env.SCW_SECRET_KEY;
      else process.env.SCW_SECRET_KEY = saved;
    });
    rig = rigWithTool('echo "the key: $SCW_SECRET_KEY"\necho "json: {\\"k\\":\\"$SCW_SECRET_KEY\\"}"');
    const { service } = makeService(rig); // no secrets given: onedeck refused the key
    cleanups.push(() => service.stop());
    const id = await service.playbook(ALICE, 'hooks');
    const job = await finished(rig, id);
    const log = readFileSync(job.logFile, 'utf8');
    expect(log).toContain('the key: ********');
    expect(log).not.toContain(BAD);
  });
});
