// `ansible-playbook --syntax-check` of every playbook that needs no OneDeploy; site.yml imports
// opennebula.deploy.main, which cannot be installed here, so its structure is checked instead.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { renderInventory } from '../../src/adapters/ansible/inventory.js';
import type { InventoryOutput } from '../../src/domain/inventory.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ANSIBLE = join(ROOT, 'ansible');
const home = mkdtempSync(join(tmpdir(), 'onedeck-ansible-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const env = { HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') };

describe('ansible playbooks', () => {
  for (const playbook of ['network.yml', 'hooks.yml', 'validate.yml']) {
    it(`${playbook} passes --syntax-check`, async () => {
      const r = await execa('ansible-playbook', ['--syntax-check', '-i', 'localhost,', playbook], { cwd: ANSIBLE, env, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(`playbook: ${playbook}`);
    });
  }

  it('a broken playbook fails the same check (the check is real)', async () => {
    const bad = join(home, 'bad.yml');
    await execa('sh', ['-c', `printf -- '- hosts: all\\n  tasks:\\n    - ansible.builtin.nonexistent_module_xyz: {}\\n' > ${bad}`]);
    const r = await execa('ansible-playbook', ['--syntax-check', '-i', 'localhost,', bad], { env, reject: false });
    expect(r.exitCode).not.toBe(0);
  });

  it('site.yml imports OneDeploy main after a preflight, and the rendered inventory has what OneDeploy needs', () => {
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
    const doc = parse(renderInventory(inv, config)) as any;
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
