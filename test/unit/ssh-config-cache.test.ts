// `ssh -G` answers are cached until an ssh_config file changes, and the hosts ssh_config treats
// alike share one `ssh -G`. A stand-in ssh (a shell script) records every run.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSshConfigCache, resolveSsh } from '../../src/adapters/ssh/ssh-config.js';

let dir: string;
let ssh: string;
let cfg: string;
const runs = () => (readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n').filter(Boolean));
const resolveAll = (aliases: string[], port?: number) =>
  Promise.all(aliases.map((a) => resolveSsh(a, { configFile: cfg, defaultUser: 'root', sshBin: ssh, port })));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sshg-'));
  ssh = join(dir, 'ssh');
  cfg = join(dir, 'config');
  writeFileSync(join(dir, 'runs'), '');
  // prints what ssh -G would for a config without HostName: the alias, lower-cased, and -p's port;
  // an alias named "special*" gets a user of its own, as a Host block would give it
  writeFileSync(
    ssh,
    `#!/bin/sh
echo "$*" >> ${join(dir, 'runs')}
port=22
while [ $# -gt 1 ]; do case "$1" in -p) port=$2; shift;; esac; shift; done
user=root
case "$1" in special*) user=operator;; bad*) exit 255;; esac
printf 'host %s\\nhostname %s\\nport %s\\nuser %s\\n' "$1" "$(echo "$1" | tr A-Z a-z)" "$port" "$user"
`,
  );
  chmodSync(ssh, 0o755);
  writeFileSync(cfg, 'Host *\n  ServerAliveInterval 10\n');
  clearSshConfigCache();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ssh -G cache', () => {
  it('hosts resolved together that ssh_config treats alike share one ssh -G; each keeps its own name and port', async () => {
    const rs = await resolveAll(['Kvm-1', 'kvm-2', '10.0.0.3'], 2222);
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).not.toContain('-p'); // the port is the command line's, put in after
    expect(rs.map((r) => [r.hostname, r.port, r.via])).toEqual([
      ['kvm-1', 2222, 'ssh -G'],
      ['kvm-2', 2222, 'ssh -G'],
      ['10.0.0.3', 2222, 'ssh -G'],
    ]);
  });

  it('a failed ssh -G is not kept: a later host of the same group, and the same host later, are asked again', async () => {
    // the first host of the group is one ssh cannot answer for (a timeout on a busy machine, say)
    const [bad] = await resolveAll(['bad-1']);
    expect(bad.via).not.toBe('ssh -G');
    const [good] = await resolveAll(['good-1']);
    expect([good.hostname, good.via]).toEqual(['good-1', 'ssh -G']);
    // bad-1 again: the group's answer is good-1's now, and ssh_config treats them alike
    const [again] = await resolveAll(['bad-1']);
    expect([again.hostname, again.via]).toEqual(['bad-1', 'ssh -G']);
    // a good answer is kept as before
    await resolveAll(['good-1', 'good-2']);
    expect(runs().filter((r) => r.includes('good'))).toHaveLength(1);
  });

  it('asks again only once a config file changes (by stat): repeated sweeps spawn nothing', async () => {
    await resolveAll(['a', 'b']);
    await resolveAll(['a', 'b']);
    await resolveAll(['a', 'c']);
    expect(runs()).toHaveLength(1);
    writeFileSync(cfg, 'Host *\n  ServerAliveInterval 20\n');
    utimesSync(cfg, new Date(), new Date(Date.now() + 5000));
    await resolveAll(['a', 'b']);
    expect(runs()).toHaveLength(2);
  });

  it('a file an Include glob finds appearing later is a change', async () => {
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(cfg, `Include ${join(dir, 'conf.d')}/*.conf\n`);
    await resolveAll(['a']);
    await resolveAll(['a']);
    expect(runs()).toHaveLength(1);
    writeFileSync(join(dir, 'conf.d', 'extra.conf'), 'Host a\n  User special\n');
    await resolveAll(['a']);
    expect(runs()).toHaveLength(2);
  });

  it('if the lookup shared by a group fails, the others are asked on their own', async () => {
    const rs = await resolveAll(['bad-1', 'kvm-1', 'kvm-2']);
    expect(rs.map((r) => r.via)).toEqual(['fallback', 'ssh -G', 'ssh -G']);
    expect(runs()).toHaveLength(3);
  });

  it('a host a Host block names gets its own ssh -G; Match means one per host', async () => {
    writeFileSync(cfg, 'Host special-*\n  User operator\nHost *\n  ServerAliveInterval 10\n');
    const rs = await resolveAll(['special-1', 'kvm-1', 'kvm-2']);
    expect(runs()).toHaveLength(2);
    expect(rs.map((r) => r.user)).toEqual(['operator', 'root', 'root']);
    writeFileSync(cfg, 'Match host kvm-*\n  User root\n');
    utimesSync(cfg, new Date(), new Date(Date.now() + 5000));
    await resolveAll(['kvm-1', 'kvm-2', 'kvm-3'], 2200);
    expect(runs()).toHaveLength(5);
    expect(runs().slice(2).every((r) => r.includes('-p 2200'))).toBe(true);
  });
});
