// Real ansible-playbook runs against two real sshd "hosts" on loopback (this machine): network.yml in
// check mode, hooks.yml for real. Every path the playbooks write is redirected into a temp dir, so
// nothing touches /etc/netplan or /var/lib/one.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { inventoryDoc, renderInventory, writeInventory } from '../../src/adapters/ansible/inventory.js';
import type { Config } from '../../src/config/schema.js';
import { expectAnsibleReadsAsMeant } from '../unit/ansible-roundtrip.js';
import type { InventoryHost, InventoryOutput } from '../../src/domain/inventory.js';
import { startSshd, type TestSshd } from '../harness/sshd.js';
import { fakeSecretKey } from '../harness/fake-credentials.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ANSIBLE = join(ROOT, 'ansible');
const TOKEN = fakeSecretKey('4');
const SERVER = { fe: 'fr-par-2/145d2bff-27d7-401d-b63e-6cf5ca3d9386', 'kvm-1': 'fr-par-2/2b6e8f1a-3c4d-4e5f-9a0b-1c2d3e4f5a6b' };

let tmp: string;
let sshds: TestSshd[] = [];
let inventory: string;
let env: Record<string, string>;
let rendered: { text: string; doc: Record<string, unknown> };

function hostOut(name: keyof typeof SERVER, addr: string): InventoryHost {
  // test hosts only ever have loopback addresses, even for the "private" one
  return {
    name, server_id: SERVER[name], public_ip: addr, private_ip: addr, vmtovm_ip: addr,
    private_vlan: 1891, vmtovm_vlan: 1892, flexible_ip: '51.159.24.33', flexible_ip_id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    flexible_ip_mac: '52:54:00:2a:91:0c',
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'onedeck-ansible-'));
  const keyDir = join(tmp, 'key');
  mkdirSync(keyDir);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'onedeck-test', '-f', join(keyDir, 'client_ed25519')]);
  for (const [i, addr] of ['127.0.0.2', '127.0.0.3'].entries()) {
    const dir = join(tmp, `sshd${i}`);
    mkdirSync(dir, { mode: 0o700 });
    for (const f of ['client_ed25519', 'client_ed25519.pub']) writeFileSync(join(dir, f), readFileSync(join(keyDir, f)), { mode: 0o600 });
    sshds.push(await startSshd({ host: addr, dir }));
  }
  const knownHosts = join(tmp, 'known_hosts');
  writeFileSync(knownHosts, sshds.map((s) => readFileSync(s.knownHosts, 'utf8')).join(''));

  const yaml = [
    'cluster: demo',
    'scaleway: { zone: fr-par-2, project_id: 5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d }',
    `frontend: { name: fe, ssh: { host: ${sshds[0].host}, port: ${sshds[0].port} } }`,
    `hypervisors: [ { name: kvm-1, ssh: { host: ${sshds[1].host}, port: ${sshds[1].port} } } ]`,
    `ssh: { user: root, key: ${join(keyDir, 'client_ed25519')} }`,
  ].join('\n');
  const config: Config = parseConfig(yaml, join(tmp, 'onedeck.yaml'));
  const out: InventoryOutput = {
    cluster_name: 'demo', zone: 'fr-par-2', project_id: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    private_network_id: 'fr-par/8c1f3d2e-4b5a-4c6d-9e8f-0a1b2c3d4e5f', vmtovm_private_network_id: 'fr-par/9d2e4f3a-5c6b-4d7e-8f9a-1b2c3d4e5f60',
    frontend: hostOut('fe', '127.0.0.2'), hypervisors: { 'kvm-1': hostOut('kvm-1', '127.0.0.3') },
  };
  inventory = join(tmp, 'inventory.yml');
  rendered = { text: renderInventory(out, config), doc: inventoryDoc(out, config) };
  await writeInventory(inventory, rendered.text);

  const home = join(tmp, 'home');
  mkdirSync(home);
  env = {
    HOME: home,
    ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg'),
    ANSIBLE_LOCAL_TEMP: join(home, 'local-tmp'),
    ANSIBLE_REMOTE_TEMP: join(tmp, 'remote-tmp'),
    ANSIBLE_SSH_ARGS: `-o ControlMaster=no -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes`,
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_CALLBACKS_ENABLED: '',
    ANSIBLE_FORCE_COLOR: '0',
  };
}, 60_000);

afterAll(() => {
  for (const s of sshds) s.stop();
  sshds = [];
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function playbook(args: string[], extraVars: Record<string, unknown>, extraEnv: Record<string, string> = {}) {
  const varsFile = join(tmp, `vars-${Date.now()}.json`);
  writeFileSync(varsFile, JSON.stringify({ ansible_become: false, ...extraVars }));
  return execa('ansible-playbook', ['-i', inventory, '-e', `@${varsFile}`, ...args], {
    cwd: ANSIBLE, env: { ...env, ...extraEnv }, reject: false, timeout: 120_000,
  });
}

const recapOk = (stdout: string, host: string) => new RegExp(`^${host}\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0`, 'm').test(stdout);

describe('network.yml (check mode) and hooks.yml against two real sshd hosts', () => {
  it('Ansible reads the rendered inventory back as onedeck meant it', async () => {
    await expectAnsibleReadsAsMeant(rendered.text, rendered.doc);
  });

  it('network.yml --check renders the netplan file for each host and writes nothing', async () => {
    const root = join(tmp, 'net');
    for (const h of ['fe', 'kvm-1']) {
      mkdirSync(join(root, h, 'netplan'), { recursive: true });
      writeFileSync(join(root, h, 'netplan', '50-cloud-init.yaml'), 'network: {version: 2}\n');
    }
    const r = await playbook(['--check', '--diff', 'network.yml'], {
      netplan_dir: `${root}/{{ inventory_hostname }}/netplan`,
      netplan_backup_root: `${root}/{{ inventory_hostname }}/backup`,
      cloud_init_cfg_dir: `${root}/{{ inventory_hostname }}/cloud`,
      netplan_cmd: '/bin/false',
      onedeck_phys_if: 'enp-test0',
      onedeck_phys_mac: '02:00:00:aa:bb:cc',
      onedeck_public_cidr: '198.51.100.10/24',
      onedeck_public_gateway: '198.51.100.1',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(recapOk(r.stdout, 'fe')).toBe(true);
    expect(recapOk(r.stdout, 'kvm-1')).toBe(true);
    // the diff shows the file: the public bridge, both VLANs with their ids, the vm-to-vm bridge
    for (const s of ['br0:', 'interfaces: [enp-test0]', 'macaddress: "02:00:00:aa:bb:cc"', 'hosttohost:', 'id: 1891', 'id: 1892', 'brvmtovm:', 'via: 198.51.100.1']) {
      expect(r.stdout, s).toContain(s);
    }
    expect(r.stdout).toMatch(/fe: br0 on enp-test0 .*check mode/);
    for (const h of ['fe', 'kvm-1']) {
      expect(readdirSync(join(root, h, 'netplan'))).toEqual(['50-cloud-init.yaml']);
      expect(existsSync(join(root, h, 'backup'))).toBe(false);
    }
  }, 300_000);

  it('hooks.yml installs the hooks, writes token and server ids 0600, syncs and reports each host', async () => {
    const root = join(tmp, 'hooks');
    mkdirSync(root);
    const fake = join(root, 'onehost');
    const syncLog = join(root, 'sync.log');
    const failIds = join(root, 'fail-ids');
    writeFileSync(
      fake,
      [
        '#!/bin/sh',
        '# stand-in for OpenNebula\'s onehost: two registered hosts named by their private IPs',
        'case "$1" in',
        '  list) printf "0,127.0.0.2\\n1,127.0.0.3\\n" ;;',
        `  sync) echo "$*" >> ${syncLog}; if grep -qx "$3" ${failIds} 2>/dev/null; then echo "host $3: ssh: connect refused" >&2; exit 1; fi ;;`,
        '  *) exit 64 ;;',
        'esac',
      ].join('\n') + '\n',
    );
    chmodSync(fake, 0o755);
    const vars = {
      one_user: 'root',
      one_group: 'root',
      one_var_dir: `${root}/{{ inventory_hostname }}/var-lib-one`,
      one_remotes_dir: `${root}/{{ inventory_hostname }}/remotes`,
      vnm_log_dir: `${root}/{{ inventory_hostname }}/log-vnm`,
      onehost_cmd: fake,
      onedeck_install_packages: false,
      scw_api_url: 'http://127.0.0.1:9',
    };
    const r = await playbook(['hooks.yml'], vars, { SCW_FLEXIBLE_IP_TOKEN: TOKEN });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(recapOk(r.stdout, 'fe')).toBe(true);
    expect(recapOk(r.stdout, 'kvm-1')).toBe(true);

    for (const [h, sid] of Object.entries(SERVER)) {
      const dir = join(root, h, 'var-lib-one');
      expect(readFileSync(join(dir, '.scw-flexip.token'), 'utf8')).toBe(`${TOKEN}\n`);
      expect(statSync(join(dir, '.scw-flexip.token')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'scw-server-id'), 'utf8')).toBe(`${sid}\n`);
      expect(statSync(join(dir, 'scw-server-id')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'scw-api-url'), 'utf8')).toBe('http://127.0.0.1:9\n');
      expect(existsSync(join(root, h, 'log-vnm'))).toBe(true);
    }
    // hooks go into the frontend's remotes only; onehost sync carries them to the hosts
    const bridge = join(root, 'fe', 'remotes', 'vnm', 'bridge');
    const installed: Record<string, string> = {
      'pre.d/01-scw-flexip-attach.sh': 'hooks/pre.d/01-scw-flexip-attach.sh',
      'clean.d/01-scw-flexip-detach.sh': 'hooks/clean.d/01-scw-flexip-detach.sh',
      'scw-flexip/lib.sh': 'hooks/lib/scw-flexip.sh',
    };
    for (const [dest, src] of Object.entries(installed)) {
      expect(readFileSync(join(bridge, dest))).toEqual(readFileSync(join(ROOT, src)));
    }
    expect(statSync(join(bridge, 'pre.d/01-scw-flexip-attach.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(join(bridge, 'scw-flexip/lib.sh')).mode & 0o111).toBe(0);
    expect(existsSync(join(root, 'kvm-1', 'remotes'))).toBe(false);

    expect(readFileSync(syncLog, 'utf8').trim().split('\n')).toEqual(['sync --force 0', 'sync --force 1']);
    expect(r.stdout).toContain('onehost sync 127.0.0.2 (id 0): ok');
    expect(r.stdout).toContain('onehost sync 127.0.0.3 (id 1): ok');
    expect(r.stdout).toContain('hooks synced to 2 host(s)');

    // a failing host is reported by name and fails the run; re-running is idempotent otherwise
    writeFileSync(failIds, '1\n');
    const again = await playbook(['hooks.yml'], vars, { SCW_FLEXIBLE_IP_TOKEN: TOKEN });
    expect(again.exitCode).not.toBe(0);
    expect(again.stdout).toContain('onehost sync 127.0.0.2 (id 0): ok');
    expect(again.stdout).toMatch(/onehost sync 127\.0\.0\.3 \(id 1\): FAILED rc=1: host 1: ssh: connect refused/);
    expect(again.stdout).toMatch(/onehost sync failed on: 1,127\.0\.0\.3/);
    expect(again.stdout).toMatch(/^kvm-1\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0/m);
  }, 300_000);

  it('network.yml applies once, not again when nothing changed, and again after a run that died before applying', async () => {
    const root = join(tmp, 'net-apply');
    const fakeNetplan = join(root, 'netplan-cmd');
    mkdirSync(root, { recursive: true });
    // a stand-in `netplan` that records each call (this machine has no netplan to apply)
    writeFileSync(fakeNetplan, `#!/bin/sh\necho "$@" >> ${root}/netplan-calls\n`, { mode: 0o755 });
    mkdirSync(join(root, 'fe', 'netplan'), { recursive: true });
    writeFileSync(join(root, 'fe', 'netplan', '50-cloud-init.yaml'), 'network: {version: 2}\n');
    const vars = {
      netplan_dir: `${root}/{{ inventory_hostname }}/netplan`,
      netplan_backup_root: `${root}/{{ inventory_hostname }}/backup`,
      cloud_init_cfg_dir: `${root}/{{ inventory_hostname }}/cloud`,
      netplan_cmd: fakeNetplan,
      onedeck_phys_if: 'enp-test0',
      onedeck_phys_mac: '02:00:00:aa:bb:cc',
      onedeck_public_cidr: '198.51.100.10/24',
      onedeck_public_gateway: '198.51.100.1',
    };
    mkdirSync(join(root, 'fe', 'cloud'), { recursive: true });
    const calls = () => (existsSync(join(root, 'netplan-calls')) ? readFileSync(join(root, 'netplan-calls'), 'utf8').trim().split('\n') : []);
    const run = () => playbook(['--limit', 'fe', 'network.yml'], vars);
    let r = await run();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(calls()).toEqual(['generate', 'apply']);
    // the other netplan files were moved aside, not deleted
    expect(readdirSync(join(root, 'fe', 'netplan')).sort()).toEqual(['.onedeck-applied', '60-onedeck.yaml'].sort());
    r = await run();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(calls()).toHaveLength(2); // nothing changed: nothing applied
    // a run that rendered the file and died before applying leaves no record of the apply
    rmSync(join(root, 'fe', 'netplan', '.onedeck-applied'));
    r = await run();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(calls()).toEqual(['generate', 'apply', 'generate', 'apply']);
  }, 300_000);

  it('hooks.yml --check reports what it would do, syncs nothing and writes nothing', async () => {
    const root = join(tmp, 'hooks-check');
    mkdirSync(root);
    const fake = join(root, 'onehost');
    const syncLog = join(root, 'sync.log');
    writeFileSync(fake, `#!/bin/sh\ncase "$1" in\n  list) printf "0,127.0.0.2\\n1,127.0.0.3\\n" ;;\n  sync) echo "$*" >> ${syncLog} ;;\n  *) exit 64 ;;\nesac\n`);
    chmodSync(fake, 0o755);
    const r = await playbook(['--check', 'hooks.yml'], {
      one_user: 'root', one_group: 'root',
      one_var_dir: `${root}/{{ inventory_hostname }}/var-lib-one`, one_remotes_dir: `${root}/{{ inventory_hostname }}/remotes`,
      vnm_log_dir: `${root}/{{ inventory_hostname }}/log-vnm`, onehost_cmd: fake, onedeck_install_packages: false,
    }, { SCW_FLEXIBLE_IP_TOKEN: TOKEN });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(readdirSync(root)).toEqual(['onehost']);
  }, 180_000);

  it('hooks.yml stops before writing anything when the token is not in the environment', async () => {
    const root = join(tmp, 'notoken');
    const r = await playbook(['hooks.yml'], {
      one_user: 'root', one_group: 'root', one_var_dir: `${root}/{{ inventory_hostname }}`, vnm_log_dir: `${root}/log`,
      onedeck_install_packages: false,
    }, { SCW_FLEXIBLE_IP_TOKEN: '' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('SCW_FLEXIBLE_IP_TOKEN is not set for this run');
    expect(existsSync(root)).toBe(false);
  }, 180_000);
});
