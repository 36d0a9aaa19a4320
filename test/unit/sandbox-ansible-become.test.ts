// The stand-in ansible-playbook decides become as Ansible does (config file, ANSIBLE_BECOME, -b,
// the play's keyword, ansible_become), and onedeck's ansible.cfg turns it on, as OneDeploy's does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { becomeFor, becomeSettings, findAnsibleCfg, iniValue, remoteUserFor } from '../../src/sandbox/tools/ansible-become.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ANSIBLE = join(ROOT, 'ansible');
let tmp = '';
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = '';
});

describe('become in the stand-in ansible-playbook', () => {
  it('reads [privilege_escalation] become from the config file Ansible would pick', () => {
    tmp = mkdtempSync(join(tmpdir(), 'onedeck-become-'));
    const cfg = join(tmp, 'ansible.cfg');
    writeFileSync(cfg, '[defaults]\nremote_user = deploy\nbecome = false\n\n[privilege_escalation]\n; comment\nbecome = True  # on\nbecome_method = sudo\n');
    expect(iniValue('[a]\nx = 1\n[b]\nx = 2\n', 'b', 'x')).toBe('2');
    expect(findAnsibleCfg({ HOME: tmp }, tmp)).toBe(cfg);
    expect(findAnsibleCfg({ HOME: tmp, ANSIBLE_CONFIG: join(tmp, 'missing.cfg') }, tmp)).toBeUndefined();
    const s = becomeSettings({ env: { HOME: tmp }, cwd: tmp, cliBecome: false });
    expect(s).toMatchObject({ configured: true, remoteUser: 'deploy' });
    expect(becomeSettings({ env: { HOME: tmp, ANSIBLE_BECOME: 'false' }, cwd: tmp, cliBecome: false }).configured).toBe(false);
  });

  it('onedeck\'s ansible/ansible.cfg turns become on, as OneDeploy\'s does', () => {
    const s = becomeSettings({ env: { HOME: '/nonexistent', ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') }, cwd: '/', cliBecome: false });
    expect(s.configured).toBe(true);
    // OneDeploy's plays (imported by site.yml) carry no keyword: they get it from the config
    expect(becomeFor(s, 'OneDeploy: nodes', { ansible_user: 'ubuntu' })).toBe(true);
  });

  it('precedence: config < -b < play keyword < ansible_become; the user from ansible_user, -u, the config', () => {
    tmp = mkdtempSync(join(tmpdir(), 'onedeck-become-'));
    const pb = join(tmp, 'pb.yml');
    writeFileSync(pb, '- name: On the controller\n  hosts: localhost\n  become: no\n  tasks: []\n- name: Hosts\n  hosts: all\n  become: true\n  tasks: []\n- name: Plain\n  hosts: all\n  tasks: []\n');
    const off = becomeSettings({ env: { HOME: tmp }, cwd: tmp, cliBecome: false, playbookFile: pb });
    expect(becomeFor(off, 'Plain', {})).toBe(false);
    expect(becomeFor(off, 'Hosts', {})).toBe(true);
    expect(becomeFor(off, 'Hosts', { ansible_become: 'false' })).toBe(false);
    const cli = becomeSettings({ env: { HOME: tmp }, cwd: tmp, cliBecome: true, cliUser: 'ops', playbookFile: pb });
    expect(becomeFor(cli, 'Plain', {})).toBe(true);
    expect(becomeFor(cli, 'On the controller', {})).toBe(false);
    expect(remoteUserFor(cli, {})).toBe('ops');
    expect(remoteUserFor(cli, { ansible_user: 'ubuntu' })).toBe('ubuntu');
  });

  it('the real Ansible reads the same from ansible/ansible.cfg (ansible-config dump)', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'onedeck-become-'));
    const r = await execa('ansible-config', ['dump', '--only-changed'], { cwd: ANSIBLE, env: { HOME: tmp, ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' }, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DEFAULT_BECOME\(.*ansible\.cfg\) = True$/m);
    expect(r.stdout).toMatch(/^DEFAULT_BECOME_USER\(.*ansible\.cfg\) = root$/m);
  });
});
