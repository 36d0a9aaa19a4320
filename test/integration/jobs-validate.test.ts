// :validate with the suite fetched into ansible/vendor/: onedeck runs validate.yml's checks (the
// pinned tag) and then the suite's own playbook in one job, so the suite's tasks stream as events.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILES, jobDir } from '../../src/jobs/job-store.js';
import { ALICE, ensureRunner, finished, makeRig, makeService, type Rig } from './jobs-helpers.js';

const repo = resolve(import.meta.dirname, '../..');
let rig: Rig | undefined;
let stop: (() => void) | undefined;
beforeAll(async () => {
  await ensureRunner();
});
afterEach(() => {
  stop?.();
  rig?.cleanup();
  rig = undefined;
});

/** a stand-in suite: a git checkout tagged `tag`, whose playbook runs on the controller */
function vendorSuite(ansibleDir: string, tag: string): void {
  const dir = join(ansibleDir, 'vendor', 'one-deploy-validation');
  mkdirSync(join(dir, 'playbooks'), { recursive: true });
  writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n');
  writeFileSync(
    join(dir, 'playbooks', 'validation.yml'),
    [
      '- name: Validation suite (stand-in)',
      '  hosts: localhost',
      '  connection: local',
      '  gather_facts: false',
      '  tasks:',
      '    - name: Core services answer',
      '      ansible.builtin.command: "true"',
      '      changed_when: false',
      '    - name: Render the report',
      '      ansible.builtin.debug: { msg: report written }',
      '',
    ].join('\n'),
  );
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'suite');
  git('tag', tag);
}

function setup(tag: string) {
  rig = makeRig();
  const ansible = rig.config.paths.ansible;
  cpSync(join(repo, 'ansible', 'validate.yml'), join(ansible, 'validate.yml'));
  writeFileSync(join(ansible, 'inventory', 'onedeck.yml'), 'all:\n  hosts:\n    localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 }\n');
  vendorSuite(ansible, tag);
  const h = makeService(rig, { extraEnv: { HOME: rig.dir, ANSIBLE_LOCAL_TEMP: join(rig.dir, 'tmp') } });
  stop = h.service.stop;
  h.service.start();
  return h;
}

describe('the validation job', () => {
  it("streams the suite's own tasks after validate.yml checked the pinned tag", async () => {
    const { service } = setup('v1.0.0');
    const id = await service.playbook(ALICE, 'validate');
    const j = await finished(rig!, id, 60_000);
    const log = readFileSync(join(jobDir(rig!.paths.jobsDir, id), FILES.log), 'utf8');
    expect(j.state, log).toBe('succeeded');
    expect(log).toContain('TASK [The checkout is the pinned release]');
    expect(log).toContain('PLAY [Validation suite (stand-in)]');
    expect(log).toContain('TASK [Core services answer]');
    // the suite's events came through the structured stream, not a saved file
    const events = readFileSync(join(jobDir(rig!.paths.jobsDir, id), FILES.events), 'utf8');
    expect(events).toContain('"Core services answer"');
  });

  it('stops before the suite when the checkout is not the pinned release, and says how to fix it', async () => {
    const { service } = setup('v0.9.0');
    const id = await service.playbook(ALICE, 'validate');
    const j = await finished(rig!, id, 60_000);
    const log = readFileSync(join(jobDir(rig!.paths.jobsDir, id), FILES.log), 'utf8');
    expect(j.state).toBe('failed');
    expect(log).toMatch(/is at "v0.9.0", not v1.0.0: git -C .* checkout v1.0.0/);
    expect(log).not.toContain('Core services answer');
  });
});
