import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, parseConfig } from '../../src/config/load.js';
import { OnedeckError } from '../../src/errors.js';

const good = `cluster: prod
scaleway:
  zone: fr-par-2
  project_id: 11111111-2222-3333-4444-555555555555
frontend:
  name: fe
hypervisors: [kvm-1, { name: kvm-2, ssh: { host: 127.0.0.5, port: 2222 } }]
`;

function errorOf(text: string): OnedeckError {
  try {
    parseConfig(text, '/etc/onedeck.yaml');
  } catch (e) {
    if (e instanceof OnedeckError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('onedeck.yaml', () => {
  it('loads a minimal config with defaults', () => {
    const c = parseConfig(good, '/srv/x/onedeck.yaml');
    expect(c.cluster).toBe('prod');
    expect(c.scaleway.region).toBe('fr-par');
    expect(c.scaleway.offer).toBe('EM-A610R-NVMe');
    expect(c.frontend).toMatchObject({ name: 'fe', role: 'frontend' });
    expect(c.hypervisors.map((h) => h.name)).toEqual(['kvm-1', 'kvm-2']);
    expect(c.hypervisors[1].ssh).toEqual({ host: '127.0.0.5', port: 2222 });
    expect(c.paths.terraform).toBe('/srv/x/terraform');
    expect(c.refresh_seconds).toBe(10);
    expect(c.opennebula.version).toBe('7.0');
  });

  it('resolves relative files against the config file, ~ against HOME', () => {
    const c = parseConfig(`${good}ssh: { key: keys/deploy, known_hosts: ~/.ssh/known_hosts }\n`, '/srv/x/onedeck.yaml');
    expect(c.ssh.key).toBe('/srv/x/keys/deploy');
    expect(c.ssh.known_hosts).toBe(`${process.env.HOME}/.ssh/known_hosts`);
  });

  it('names file:line:column, the bad value and the fix for a wrong type', () => {
    const e = errorOf(good.replace('hypervisors: [kvm-1, { name: kvm-2, ssh: { host: 127.0.0.5, port: 2222 } }]', 'hypervisors: kvm-1'));
    expect(e.message).toBe('/etc/onedeck.yaml:7:14: hypervisors must be a list, got "kvm-1".');
    expect(e.hint).toContain('hypervisors: [kvm-1, kvm-2]');
    expect(e.exitCode).toBe(78);
  });

  it('points at a bad zone', () => {
    const e = errorOf(good.replace('zone: fr-par-2', 'zone: paris'));
    expect(e.message).toMatch(/^\/etc\/onedeck.yaml:3:9: scaleway.zone must be a Scaleway zone such as fr-par-2, got "paris"\.$/);
  });

  it('reports a missing key at its parent', () => {
    const e = errorOf(good.replace('  project_id: 11111111-2222-3333-4444-555555555555\n', ''));
    expect(e.message).toBe('/etc/onedeck.yaml:3:3: scaleway.project_id is required but missing.');
  });

  it('refuses credentials and unknown keys in the file', () => {
    const e = errorOf(good.replace('  zone: fr-par-2', '  zone: fr-par-2\n  secret_key: abc'));
    expect(e.message).toContain('unknown key "secret_key"');
    expect(e.hint).toContain('SCW_*');
  });

  it('explains a YAML syntax error with its position', () => {
    const e = errorOf('cluster: prod\nscaleway:\n  zone: [fr-par-2\n');
    expect(e.message).toMatch(/^\/etc\/onedeck.yaml:\d+:\d+: this is not valid YAML/);
  });

  it('a mis-indented line is reported at that line, not at the value above it (issue 12 #11)', () => {
    const e = errorOf('cluster: prod\nscaleway:\n  zone: fr-par-2\n    project_id: 11111111-2222-3333-4444-555555555555\nfrontend: fe\n');
    expect(e.message).toBe('/etc/onedeck.yaml:4:5: this is not valid YAML: line 4 is indented more than the key on line 3 above it.');
    expect(e.hint).toContain('Indent line 4 like line 3');
  });

  it('opennebula.version must be a string: an unquoted 6.10 (the number 6.1) is refused with the fix', () => {
    const e = errorOf(`${good}opennebula:\n  version: 6.10\n`);
    expect(e.message).toBe('/etc/onedeck.yaml:9:12: opennebula.version must be a string, got 6.1.');
    expect(e.hint).toContain('version: "6.10"');
    expect(e.exitCode).toBe(78);
    expect(errorOf(`${good}opennebula:\n  version: 7.0\n`).hint).toContain('version: "7.0"');
    expect(errorOf(`${good}opennebula:\n  version: latest\n`).message).toContain('opennebula.version must be an OpenNebula version such as "7.0" or "6.10", got "latest"');
    expect(parseConfig(`${good}opennebula:\n  version: "6.10"\n`, '/x/onedeck.yaml').opennebula.version).toBe('6.10');
  });

  it('the cluster name follows terraform/variables.tf: at most 31 characters, refused at load with the reason', () => {
    const ok31 = `c${'a'.repeat(30)}`;
    expect(parseConfig(good.replace('cluster: prod', `cluster: ${ok31}`), '/x/onedeck.yaml').cluster).toBe(ok31);
    const e = errorOf(good.replace('cluster: prod', `cluster: ${ok31}b`));
    expect(e.message).toBe(`/etc/onedeck.yaml:1:10: cluster must be at most 31 characters (terraform/variables.tf: it prefixes every Scaleway resource name), got "${ok31}b".`);
    expect(errorOf(good.replace('cluster: prod', 'cluster: Prod')).message).toContain('cluster must be lower-case letters');
    // the config and terraform agree on every name: what one accepts, the other does too
    const tf = readFileSync(join(import.meta.dirname, '../../terraform/variables.tf'), 'utf8');
    const tfRe = new RegExp(/variable "cluster_name"[\s\S]*?regex\("([^"]+)"/.exec(tf)![1].replace(/\\\\/g, '\\'));
    const names = ['a', 'prod', 'p-1', '1prod', '-x', 'Prod', 'a_b', ...Array.from({ length: 12 }, (_, i) => `c${'x'.repeat(25 + i)}`)];
    for (const name of names) {
      let loads = true;
      try {
        parseConfig(good.replace('cluster: prod', `cluster: "${name}"`), '/x/onedeck.yaml');
      } catch {
        loads = false;
      }
      expect(loads, name).toBe(tfRe.test(name));
    }
  });

  it('refuses a host name used twice', () => {
    const e = errorOf(good.replace('kvm-1, {', 'fe, {'));
    expect(e.message).toContain('host name "fe" is used twice');
  });

  it('finds ./onedeck.yaml before the XDG config, and reports a missing --config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-cfg-'));
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'onedeck'), { recursive: true });
    writeFileSync(join(xdg, 'onedeck', 'config.yaml'), good);
    const env = { HOME: dir, XDG_CONFIG_HOME: xdg };
    expect(findConfig(undefined, dir, env).file).toBe(join(xdg, 'onedeck', 'config.yaml'));
    writeFileSync(join(dir, 'onedeck.yaml'), good);
    expect(findConfig(undefined, dir, env).file).toBe(join(dir, 'onedeck.yaml'));
    expect(() => findConfig('nope.yaml', dir, env)).toThrow(/does not exist/);
    expect(findConfig(undefined, join(dir, 'xdg'), { HOME: dir, XDG_CONFIG_HOME: join(dir, 'none') }).file).toBeNull();
  });
});
