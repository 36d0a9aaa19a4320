// `ansible-playbook --syntax-check` of every playbook in ansible/ (every *.yml but requirements.yml).
// site.yml imports opennebula.deploy.main: checked against the installed OneDeploy when
// ansible/collections holds it, else against a stand-in collection whose main playbook is empty (CI
// has no network), so site.yml's own plays and the import itself are still checked for real.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { renderInventory } from '../../src/adapters/ansible/inventory.js';
import type { InventoryOutput } from '../../src/domain/inventory.js';
import { inventoryDoc } from '../../src/adapters/ansible/inventory.js';
import { expectAnsibleReadsAsMeant } from '../unit/ansible-roundtrip.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ANSIBLE = join(ROOT, 'ansible');
const home = mkdtempSync(join(tmpdir(), 'onedeck-ansible-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const env = { HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') };

/** ansible/collections when OneDeploy is installed there, else a stand-in opennebula.deploy. */
function collectionsWithOneDeploy(): string {
  const installed = join(ANSIBLE, 'collections');
  if (existsSync(join(installed, 'ansible_collections', 'opennebula', 'deploy', 'playbooks', 'main.yml'))) return installed;
  const stub = join(home, 'collections');
  const dir = join(stub, 'ansible_collections', 'opennebula', 'deploy');
  mkdirSync(join(dir, 'playbooks'), { recursive: true });
  writeFileSync(join(dir, 'galaxy.yml'), 'namespace: opennebula\nname: deploy\nversion: 1.4.0\nreadme: README.md\nauthors: [onedeck test]\n');
  writeFileSync(join(dir, 'playbooks', 'main.yml'), '- name: stand-in for OneDeploy main\n  hosts: frontend:node\n  tasks: []\n');
  return stub;
}

const PLAYBOOKS = readdirSync(ANSIBLE).filter((f) => f.endsWith('.yml') && f !== 'requirements.yml').sort();

describe('ansible playbooks', () => {
  it('every playbook of ansible/ is checked', () => {
    expect(PLAYBOOKS).toEqual(['hooks.yml', 'network.yml', 'site.yml', 'validate.yml']);
  });

  for (const playbook of PLAYBOOKS) {
    it(`${playbook} passes --syntax-check`, async () => {
      const extra = playbook === 'site.yml' ? { ANSIBLE_COLLECTIONS_PATH: collectionsWithOneDeploy() } : {};
      const r = await execa('ansible-playbook', ['--syntax-check', '-i', 'localhost,', playbook], { cwd: ANSIBLE, env: { ...env, ...extra }, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(`playbook: ${playbook}`);
    });
  }

  it('plays on the controller run without become (ansible.cfg turns it on for the hosts), the others with it', () => {
    for (const playbook of PLAYBOOKS) {
      const plays = parse(readFileSync(join(ANSIBLE, playbook), 'utf8')) as Record<string, unknown>[];
      for (const play of plays) {
        if (play['ansible.builtin.import_playbook']) continue;
        if (play.hosts === 'localhost') expect(play.become, `${playbook}: ${String(play.name)}`).toBe(false);
        else expect(play.become, `${playbook}: ${String(play.name)}`).not.toBe(false);
      }
    }
  });

  it('a broken playbook fails the same check (the check is real)', async () => {
    const bad = join(home, 'bad.yml');
    await execa('sh', ['-c', `printf -- '- hosts: all\\n  tasks:\\n    - ansible.builtin.nonexistent_module_xyz: {}\\n' > ${bad}`]);
    const r = await execa('ansible-playbook', ['--syntax-check', '-i', 'localhost,', bad], { env, reject: false });
    expect(r.exitCode).not.toBe(0);
  });

  it('site.yml imports OneDeploy main after a preflight, and the rendered inventory has what OneDeploy needs', async () => {
    const plays = parse(readFileSync(join(ANSIBLE, 'site.yml'), 'utf8')) as Record<string, unknown>[];
    const last = plays[plays.length - 1];
    expect(last['ansible.builtin.import_playbook'] ?? last.import_playbook).toBe('opennebula.deploy.main');
    expect(plays[0]).toMatchObject({ hosts: 'localhost', connection: 'local' });
    expect(JSON.stringify(plays[0])).toContain("lookup('env', 'ONE_PASSWORD')");

    const req = parse(readFileSync(join(ANSIBLE, 'requirements.yml'), 'utf8')) as { collections: { name: string; version?: string; type?: string }[] };
    const od = req.collections.find((c) => c.name.includes('one-deploy'));
    expect(od).toMatchObject({ type: 'git', version: expect.stringMatching(/^release-\d+\.\d+\.\d+$/) });
    for (const name of ['ansible.posix', 'ansible.utils', 'community.crypto', 'community.general', 'community.libvirt']) {
      expect(req.collections.find((c) => c.name === name)?.version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }

    // workflow §4.3: groups frontend + node with ansible_host, one_version, one_pass, vn (managed + template)
    const fixture = join(ROOT, 'test/fixtures/infra/onedeck.yaml');
    const config = parseConfig(readFileSync(fixture, 'utf8'), fixture);
    const inv = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/infra/tofu-output.json'), 'utf8')).inventory.value as InventoryOutput;
    const text = renderInventory(inv, config);
    await expectAnsibleReadsAsMeant(text, inventoryDoc(inv, config));
    const doc = parse(text) as any;
    const vars = doc.all.vars;
    expect(typeof vars.one_version).toBe('string');
    expect(vars.one_pass).toContain('ONE_PASSWORD');
    for (const vn of Object.values(vars.vn) as any[]) {
      expect(vn.managed).toBe(true);
      expect(vn.template.VN_MAD).toMatch(/^(bridge|vxlan)$/);
      expect(vn.template.AR.TYPE).toBe('IP4');
    }
    const frontend = doc.all.children.frontend.hosts;
    const nodes = doc.all.children.node.hosts;
    expect(Object.keys(frontend)).toHaveLength(1);
    for (const name of Object.keys(nodes)) {
      const h = nodes[name] && Object.keys(nodes[name]).length ? nodes[name] : frontend[name];
      expect(h.ansible_host, name).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
  });
});
