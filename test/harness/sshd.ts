// Starts a real OpenSSH sshd (Debian's openssh-server) on a loopback address with its own
// absolute-path config, host key, client key and authorized_keys, and stops it by PID.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './wait.js';

export interface TestSshd {
  dir: string;
  host: string;
  port: number;
  /** client private key accepted by this sshd */
  clientKey: string;
  /** a known_hosts file with this sshd's host key, in OpenSSH's [host]:port form */
  knownHosts: string;
  hostKeyPub: string;
  pid: number;
  stop(): void;
}

export const SSHD_BIN = '/usr/sbin/sshd';
export const haveSshd = (): boolean => existsSync(SSHD_BIN);

/** A free TCP port on `host` (asked from the kernel). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  // PID 1 here does not reap orphans: a killed daemon stays a zombie, so read its state
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function startSshd(opts: { host?: string; port?: number; dir?: string; extraConfig?: string } = {}): Promise<TestSshd> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'onedeck-sshd-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const clientKey = join(dir, 'client_ed25519');
  if (!existsSync(hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-hostkey', '-f', hostKey]);
  if (!existsSync(clientKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-client', '-f', clientKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const pidFile = join(dir, 'sshd.pid');
  rmSync(pidFile, { force: true });
  const config = [
    `Port ${port}`,
    `ListenAddress ${host}`,
    `HostKey ${hostKey}`,
    `PidFile ${pidFile}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'AllowTcpForwarding yes',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    'LogLevel VERBOSE',
    // root's .bashrc here runs pyenv on every ssh command unless SHLVL >= 1
    'SetEnv SHLVL=1',
    opts.extraConfig ?? '',
  ].join('\n');
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, `${config}\n`);
  const check = spawnSync(SSHD_BIN, ['-t', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd -t failed: ${check.stderr}`);
  const run = spawnSync(SSHD_BIN, ['-f', configFile, '-E', join(dir, 'sshd.log')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sshd failed to start: ${run.stderr}`);
  const pid = await until(`sshd to write ${pidFile} (see ${join(dir, 'sshd.log')})`, () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || 0 : 0), { timeoutMs: 10_000, everyMs: 50 });
  const hostKeyPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[${host}]:${port} ${hostKeyPub}\n`);
  return {
    dir,
    host,
    port,
    clientKey,
    knownHosts,
    hostKeyPub,
    pid,
    stop() {
      // stop the listener, then any per-connection sshd children it left (same process group is not
      // guaranteed, so look them up by parent PID)
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      for (let i = 0; i < 40 && isAlive(pid); i++) spawnSync('sleep', ['0.05']);
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
