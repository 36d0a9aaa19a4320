// The local prerequisites: Node, tofu/terraform, ansible-playbook and its collections, an SSH key
// and agent, free disk. Each check takes its I/O as dependencies, so tests can feed it answers.
import { existsSync, readFileSync, statSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ansibleEnv, findAnsiblePlaybook, findTofu } from '../adapters/tools.js';
import type { Config } from '../config/schema.js';
import { describeError } from '../errors.js';
import { fail, ok, parseVersion, versionAtLeast, warn, type CheckResult } from '../domain/doctor.js';

export interface ToolDeps {
  env: NodeJS.ProcessEnv;
  nodeVersion: string;
  /** runs a program, never through a shell; rejects when it cannot be started */
  run: (file: string, args: string[], env?: Record<string, string>) => Promise<{ stdout: string; stderr: string; code: number | null }>;
  /** free bytes on the file system holding `path` */
  freeBytes: (path: string) => number;
}

export const NODE_MIN = 20;
export const TOFU_MIN = [1, 8, 0];
/** OneDeploy release-1.4.0: its precheck refuses < 2.14, its pyproject declares ansible-core<2.17 */
export const ANSIBLE_MIN = [2, 14, 0];
export const ANSIBLE_BELOW = [2, 17, 0];
const firstLine = (s: string) => s.trim().split('\n')[0] ?? '';

export function checkNode(version: string): CheckResult {
  const v = parseVersion(version);
  if (v && v[0] >= NODE_MIN) return ok('node', 'Node.js', `Node ${version.replace(/^v/, '')}`);
  return fail('node', 'Node.js', `Node ${version.replace(/^v/, '')} is too old (onedeck needs ${NODE_MIN} or newer)`, `Install Node.js ${NODE_MIN} LTS or newer (https://nodejs.org, or your distribution's nodejs package).`);
}

export async function checkTofu(config: Config, deps: ToolDeps): Promise<CheckResult> {
  let bin: string;
  try {
    bin = findTofu(config, deps.env);
  } catch (err) {
    return fail('tofu', 'OpenTofu or Terraform', firstLine(describeError(err)), 'Install OpenTofu 1.8 or newer (https://opentofu.org/docs/intro/install/), or terraform; or set tools.tofu in onedeck.yaml.');
  }
  const isTofu = /tofu/.test(basename(bin));
  try {
    const env: Record<string, string> = config.tools.terraform_cli_config ? { TF_CLI_CONFIG_FILE: config.tools.terraform_cli_config } : {};
    const r = await deps.run(bin, ['version', '-json'], env);
    let text = r.stdout;
    try {
      text = String((JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version ?? r.stdout);
    } catch {
      // older versions print text
    }
    const v = parseVersion(text);
    if (!v) return warn('tofu', 'OpenTofu or Terraform', `${bin} did not say its version (${firstLine(r.stderr || r.stdout) || `exit ${r.code}`})`, `Run \`${bin} version\` to see what is wrong.`);
    const name = isTofu ? 'OpenTofu' : 'Terraform';
    if (isTofu && !versionAtLeast(v, TOFU_MIN)) {
      return fail('tofu', 'OpenTofu or Terraform', `${name} ${v.join('.')} at ${bin} is too old (1.8 or newer needed)`, 'Install OpenTofu 1.8 or newer: https://opentofu.org/docs/intro/install/');
    }
    return ok('tofu', 'OpenTofu or Terraform', `${name} ${v.join('.')} (${bin})`);
  } catch (err) {
    return fail('tofu', 'OpenTofu or Terraform', `${bin} cannot be run: ${(err as Error).message}`, 'Reinstall it, or set tools.tofu in onedeck.yaml.');
  }
}

export async function checkAnsible(config: Config, deps: ToolDeps): Promise<CheckResult> {
  const title = 'ansible-playbook (ansible-core 2.14–2.16)';
  const pin = "pip install 'ansible-core>=2.14,<2.17' (OneDeploy release-1.4.0 supports 2.14 to 2.16)";
  let bin: string;
  try {
    bin = findAnsiblePlaybook(config, deps.env);
  } catch (err) {
    return fail('ansible', title, firstLine(describeError(err)), `Install Ansible: apt install ansible, or ${pin}; or set tools.ansible_playbook in onedeck.yaml.`);
  }
  try {
    const r = await deps.run(bin, ['--version']);
    const m = /core\s+(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout) ?? /ansible-playbook\s+(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout);
    const v = m ? parseVersion(m[1]) : undefined;
    if (!v) return warn('ansible', title, `${bin} did not say its ansible-core version (${firstLine(r.stderr || r.stdout) || `exit ${r.code}`})`, `Run \`${bin} --version\`; ${pin}.`);
    if (!versionAtLeast(v, ANSIBLE_MIN) || versionAtLeast(v, ANSIBLE_BELOW)) {
      return fail('ansible', title, `ansible-core ${v.join('.')} at ${bin}: OneDeploy release-1.4.0 needs 2.14 to 2.16`, pin);
    }
    return ok('ansible', title, `ansible-core ${v.join('.')} (${bin})`);
  } catch (err) {
    return fail('ansible', title, `${bin} cannot be run: ${(err as Error).message}`, pin);
  }
}

/** a requirements.yml entry → its collection name (namespace.name); git entries by their repository */
const GIT_COLLECTIONS: Record<string, string> = {
  'one-deploy': 'opennebula.deploy',
  'ansible-config_template': 'openstack.config_template',
};

export function requiredCollections(file: string): { name: string; version?: string }[] {
  const doc = parse(readFileSync(file, 'utf8')) as { collections?: { name?: string; version?: string }[] } | null;
  return (doc?.collections ?? []).flatMap((c) => {
    const raw = String(c.name ?? '');
    const repo = /\/([^/]+?)(?:\.git)?$/.exec(raw)?.[1];
    const name = raw.includes('/') ? (repo && GIT_COLLECTIONS[repo]) : raw;
    return name ? [{ name, ...(c.version ? { version: String(c.version) } : {}) }] : [];
  });
}

export function checkCollections(config: Config, deps: Pick<ToolDeps, 'env'>): CheckResult {
  const title = 'Galaxy collections (ansible/requirements.yml)';
  const file = join(config.paths.ansible, 'requirements.yml');
  const install = `ansible-galaxy collection install -r ${file} -p ${join(config.paths.ansible, 'collections')}`;
  let wanted: { name: string; version?: string }[];
  try {
    wanted = requiredCollections(file);
  } catch (err) {
    return fail('collections', title, `cannot read ${file}: ${(err as Error).message}`, 'Restore ansible/requirements.yml from the repository.');
  }
  const roots = [...(ansibleEnv(config, deps.env).ANSIBLE_COLLECTIONS_PATH ?? '').split(':'), '/usr/lib/python3/dist-packages', '/usr/local/lib/python3/dist-packages'].filter(Boolean);
  const where = (name: string): string | undefined => {
    const [ns, n] = name.split('.');
    for (const r of roots) {
      for (const base of [join(r, 'ansible_collections', ns, n), basename(r) === 'ansible_collections' ? join(r, ns, n) : '']) {
        if (base && existsSync(base)) return base;
      }
    }
    return undefined;
  };
  const missing = wanted.filter((c) => !where(c.name)).map((c) => c.name);
  if (!missing.length) return ok('collections', title, `all ${wanted.length} installed`);
  // the sandbox's stand-in ansible-playbook needs none: nothing is missing for what runs here
  if (config.source.sandbox) return ok('collections', title, `not installed (${missing.join(', ')}); the sandbox's stand-in ansible-playbook needs none, a real cluster does: ${install}`);
  return warn('collections', title, `not installed: ${missing.join(', ')} (deploy, network, hooks and validate need them)`, install);
}

/** Whether a private key file is protected by a passphrase; undefined when the format is not known. */
export function keyHasPassphrase(text: string): boolean | undefined {
  if (/^Proc-Type: 4,ENCRYPTED/m.test(text) || /BEGIN ENCRYPTED PRIVATE KEY/.test(text)) return true;
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (m) {
    // openssh-key-v1\0, then the cipher's name as a length-prefixed string: "none" when unprotected
    const b = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
    const magic = 'openssh-key-v1\0';
    if (b.subarray(0, magic.length).toString('latin1') !== magic || b.length < magic.length + 4) return undefined;
    const n = b.readUInt32BE(magic.length);
    return b.subarray(magic.length + 4, magic.length + 4 + n).toString('latin1') !== 'none';
  }
  if (/-----BEGIN (RSA|EC|DSA)? ?PRIVATE KEY-----/.test(text)) return false;
  return undefined;
}

function defaultKeys(env: NodeJS.ProcessEnv): string[] {
  const dir = join(env.HOME || homedir(), '.ssh');
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(dir, k));
}

export function checkSsh(config: Config, deps: Pick<ToolDeps, 'env'>): CheckResult[] {
  const out: CheckResult[] = [];
  const key = config.ssh.key ?? defaultKeys(deps.env).find((k) => existsSync(k));
  const sock = deps.env.SSH_AUTH_SOCK;
  let agent = false;
  try {
    agent = !!sock && statSync(sock).isSocket();
  } catch {
    agent = false;
  }
  if (!key) {
    out.push(
      agent
        ? ok('ssh-key', 'SSH key', 'no key file; the agent offers the keys')
        : fail('ssh-key', 'SSH key', `no SSH key: ssh.key is not set and none of ${defaultKeys(deps.env).join(', ')} exists`, 'Create one: ssh-keygen -t ed25519 (Scaleway installs its public half on new servers), or set ssh.key in onedeck.yaml.'),
    );
  } else if (!existsSync(key)) {
    out.push(fail('ssh-key', 'SSH key', `ssh.key ${key} does not exist`, 'Fix ssh.key in onedeck.yaml, or create the key with ssh-keygen -t ed25519 -f KEY.'));
  } else {
    const mode = statSync(key).mode & 0o777;
    const pub = existsSync(`${key}.pub`);
    if (mode & 0o077) out.push(fail('ssh-key', 'SSH key', `${key} is readable by others (mode ${mode.toString(8)}); ssh refuses it`, `chmod 600 ${key}`));
    else if (!pub) out.push(warn('ssh-key', 'SSH key', `${key} has no ${basename(key)}.pub beside it; plan needs the public key for new servers`, `ssh-keygen -y -f ${key} > ${key}.pub`));
    else out.push(ok('ssh-key', 'SSH key', key));
  }
  let plainKey = false;
  try {
    plainKey = !!key && existsSync(key) && keyHasPassphrase(readFileSync(key, 'utf8')) === false;
  } catch {
    plainKey = false;
  }
  out.push(
    agent
      ? ok('ssh-agent', 'SSH agent', `agent at ${sock}`)
      : plainKey
        ? ok('ssh-agent', 'SSH agent', `none, and none needed: ${key} has no passphrase`)
        : warn('ssh-agent', 'SSH agent', sock ? `SSH_AUTH_SOCK=${sock} is not a socket` : 'no agent (SSH_AUTH_SOCK is not set); onedeck uses the key file itself', 'Only needed for a key with a passphrase: eval "$(ssh-agent)" && ssh-add'),
  );
  return out;
}

/** the nearest directory of `path` that exists (the state dir may not yet) */
function existing(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

export const DISK_WARN = 1024 ** 3;
export const DISK_FAIL = 200 * 1024 ** 2;

export function checkDisk(stateDir: string, deps: Pick<ToolDeps, 'freeBytes'>): CheckResult {
  const title = 'free disk for state and logs';
  let free: number;
  const at = existing(stateDir);
  try {
    free = deps.freeBytes(at);
  } catch (err) {
    return warn('disk', title, `cannot read the free space at ${at}: ${(err as Error).message}`);
  }
  const gib = (free / 1024 ** 3).toFixed(1);
  const detail = `${gib} GiB free at ${at}${at === stateDir ? '' : ` (for ${stateDir})`}`;
  if (free < DISK_FAIL) return fail('disk', title, detail, 'Free some space: job logs are under jobs/ in the state directory (onedeck info); old jobs can be deleted.');
  if (free < DISK_WARN) return warn('disk', title, detail, 'Less than 1 GiB: a long apply or deploy log may fill it. Free some space.');
  return ok('disk', title, detail);
}

export function freeBytes(path: string): number {
  const s = statfsSync(path);
  return Number(s.bavail) * Number(s.bsize);
}

