// The real ansible-playbook (Debian's ansible-core + ansible.posix.jsonl) against two real sshd on
// loopback, through the job service and the detached runner: the failed host and task are
// reported, the exit code is 2, the log is on disk and in the LogHub.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES, jobDir } from '../../src/jobs/job-store.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { startSshd, type TestSshd } from '../harness/sshd.js';
import { ALICE, ensureRunner, finished, FIXTURES, makeRig, makeService, until, type Rig } from './jobs-helpers.js';

let a: TestSshd;
let b: TestSshd;
let rig: Rig;
beforeAll(async () => {
  await ensureRunner();
  a = await startSshd({ host: '127.0.0.1' });
  b = await startSshd({ host: '127.0.0.2' });
  rig = makeRig();
  const hostLine = (name: string, s: TestSshd) =>
    `    ${name}: { ansible_host: ${s.host}, ansible_port: ${s.port}, ansible_ssh_private_key_file: ${s.clientKey} }`;
  writeFileSync(
    join(rig.config.paths.ansible, 'inventory', 'onedeck.yml'),
    [
      'all:',
      '  vars:',
      '    ansible_user: root',
      '    ansible_python_interpreter: /usr/bin/python3',
      '    ansible_ssh_common_args: "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"',
      '  hosts:',
      hostLine('fe', a),
      hostLine('kvm-2', b),
      '',
    ].join('\n'),
  );
  copyFileSync(join(FIXTURES, 'playbook-fail.yml'), join(rig.config.paths.ansible, 'hooks.yml'));
});
afterAll(() => {
  a?.stop();
  b?.stop();
  rig?.cleanup();
});

describe('ansible jobs', () => {
  it('runs a playbook with the jsonl callback and reports which host and task failed', async () => {
    const { service, cluster, hub } = makeService(rig, {
      extraEnv: { ANSIBLE_SSH_ARGS: '-o ControlMaster=no', HOME: rig.dir, ANSIBLE_HOST_KEY_CHECKING: 'False' },
    });
    service.start();
    try {
      const id = await service.playbook(ALICE, 'hooks');
      const job = await finished(rig, id, 40_000);
      expect(job.exitCode).toBe(2);
      expect(job.state).toBe('failed');
      expect(job.summary).toBe('failed: kvm-2 TASK [Check disk] disk /dev/sdz not found');
      expect(job.progress).toMatchObject({
        kind: 'ansible',
        play: 'Fixture play',
        recap: { fe: { ok: 3, changed: 1, failures: 0 }, 'kvm-2': { failures: 1 } },
      });
      const log = readFileSync(job.logFile, 'utf8');
      expect(log).toContain('TASK [Check disk]');
      expect(log).toContain('  failed   kvm-2  disk /dev/sdz not found');
      expect(log).toMatch(/kvm-2 +: ok=2 changed=1 unreachable=0 failed=1/);
      const events = readFileSync(join(jobDir(rig.paths.jobsDir, id), FILES.events), 'utf8').trim().split('\n');
      expect(events.map((l) => JSON.parse(l)._event)).toContain('v2_playbook_on_stats');
      const spec = JSON.parse(readFileSync(join(jobDir(rig.paths.jobsDir, id), FILES.spec), 'utf8'));
      expect(spec.env).toMatchObject({ ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.jsonl', ANSIBLE_PIPELINING: 'True' });
      expect(spec.env.ANSIBLE_COLLECTIONS_PATH.split(':')[0]).toBe(join(rig.config.paths.ansible, 'collections'));
      // the store and the log pane see it
      await until('the record in the store', () => cluster.getState().jobs.find((j) => j.id === id && j.state === 'failed'));
      await until('the recap in the hub', () => hub.buffer(jobLogId(id)).slice(0, 10_000).some((l) => l.text === 'PLAY RECAP'));
      expect(cluster.getState().notices.at(-1)?.text).toContain('failed: kvm-2 TASK [Check disk]');
      expect(cluster.getState().lockHolder).toBeUndefined();
    } finally {
      service.stop();
    }
  }, 60_000);

  it('passes --limit for the hosts an action targets', async () => {
    const { service } = makeService(rig, {
      extraEnv: { ANSIBLE_SSH_ARGS: '-o ControlMaster=no', HOME: rig.dir, ANSIBLE_HOST_KEY_CHECKING: 'False' },
    });
    const id = await service.playbook(ALICE, 'hooks', ['fe']);
    const job = await finished(rig, id, 40_000);
    expect(job.command).toContain('--limit fe');
    expect(job.state).toBe('succeeded');
    expect(job.summary).toBe('ok: 1 host, 1 changed');
  }, 60_000);
});
