// Where the tools are and how they are called: tofu (or terraform) and ansible-playbook with the
// collections of ansible/, the jsonl callback, pipelining, and no ssh master outliving a job.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { ExitCode, OnedeckError } from '../errors.js';

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** First `name` on PATH, or undefined. */
export function whichSync(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** tofu, else terraform (tools.tofu: auto), or the configured path. */
export function findTofu(config: Pick<Config, 'tools' | 'source'>, env: NodeJS.ProcessEnv = process.env): string {
  const want = config.tools.tofu;
  if (want && want !== 'auto') {
    const p = isAbsolute(want) || !want.includes('/') ? want : join(config.source.dir, want);
    const found = whichSync(p, env);
    if (found) return found;
    throw new OnedeckError(`tools.tofu is set to ${want}, which is not an executable file`, {
      hint: 'Fix tools.tofu in onedeck.yaml, or set it to auto to find tofu or terraform on PATH.',
      exitCode: ExitCode.config,
    });
  }
  const found = whichSync('tofu', env) ?? whichSync('terraform', env);
  if (found) return found;
  throw new OnedeckError('neither tofu nor terraform found on PATH — install OpenTofu >= 1.8 or set tools.tofu in onedeck.yaml', {
    hint: 'See https://opentofu.org/docs/intro/install/ (a single static binary is enough).',
    exitCode: ExitCode.config,
  });
}

export function findAnsiblePlaybook(config: Pick<Config, 'tools' | 'source'>, env: NodeJS.ProcessEnv = process.env): string {
  const want = config.tools.ansible_playbook;
  const p = isAbsolute(want) || !want.includes('/') ? want : join(config.source.dir, want);
  const found = whichSync(p, env);
  if (found) return found;
  throw new OnedeckError(`${want} not found — install Ansible (ansible-core >= 2.14 with the ansible.posix collection)`, {
    hint: 'On Debian/Ubuntu: apt install ansible. Or set tools.ansible_playbook in onedeck.yaml.',
    exitCode: ExitCode.config,
  });
}

/** How long an ssh master may idle after its last client: short, so none outlives a job by much. */
const CONTROL_PERSIST = '15s';

/** Environment of an ansible-playbook job (no secrets here: they travel separately). */
export function ansibleEnv(config: Pick<Config, 'paths' | 'ssh'>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const dir = config.paths.ansible;
  const home = env.HOME ?? '/root';
  const out: Record<string, string> = {
    ANSIBLE_COLLECTIONS_PATH: [join(dir, 'collections'), join(home, '.ansible/collections'), '/usr/share/ansible/collections'].join(':'),
    ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.jsonl',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_SSH_ARGS: [
      '-o ControlMaster=auto',
      `-o ControlPersist=${CONTROL_PERSIST}`,
      '-o ServerAliveInterval=15',
      config.ssh.known_hosts ? `-o UserKnownHostsFile=${config.ssh.known_hosts}` : '',
      // a fresh server's key is learned once, then enforced
      '-o StrictHostKeyChecking=accept-new',
    ]
      .filter(Boolean)
      .join(' '),
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_REMOTE_USER: config.ssh.user,
    ANSIBLE_TIMEOUT: String(Math.max(10, Math.round(config.ssh.timeout_seconds * 2))),
  };
  if (config.ssh.key) out.ANSIBLE_PRIVATE_KEY_FILE = config.ssh.key;
  if (existsSync(join(dir, 'ansible.cfg'))) out.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
  return out;
}

/** The CLI config file tools.terraform_cli_config names (relative to onedeck.yaml), if any. */
export function terraformCliConfig(config: Pick<Config, 'tools' | 'source'>): string | undefined {
  const f = config.tools.terraform_cli_config;
  if (!f) return undefined;
  return isAbsolute(f) ? f : join(config.source.dir, f);
}

/**
 * Environment of a tofu job: never prompt, no colour, machine-readable; with
 * tools.terraform_cli_config, the CLI config (e.g. an air-gapped provider mirror) as TF_CLI_CONFIG_FILE.
 */
export function tofuEnv(config?: Pick<Config, 'tools' | 'source'>): Record<string, string> {
  const cli = config ? terraformCliConfig(config) : undefined;
  return { TF_INPUT: '0', TF_IN_AUTOMATION: '1', NO_COLOR: '1', ...(cli ? { TF_CLI_CONFIG_FILE: cli } : {}) };
}
