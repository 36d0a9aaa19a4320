// Whether a play of the stand-in ansible-playbook runs with privilege escalation, decided as
// Ansible does: the config file (ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg,
// /etc/ansible/ansible.cfg; `[privilege_escalation] become`), then ANSIBLE_BECOME, then -b/--become,
// then the play's `become:` keyword, then the host's `ansible_become` variable (each wins over the
// one before). Who connects: ansible_user, else -u, else ANSIBLE_REMOTE_USER / remote_user, else
// the local user. A privileged task without become, as a user other than root, fails as on a real
// host.
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** Ansible's boolean strings (config values, `-e` and variables). */
export function ansibleBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', 'y', 't'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', 'n', 'f', ''].includes(s)) return false;
  return undefined;
}

/** The config file Ansible would read, or undefined. */
export function findAnsibleCfg(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (env.ANSIBLE_CONFIG) {
    const p = resolve(cwd, env.ANSIBLE_CONFIG);
    return existsSync(p) ? p : undefined;
  }
  const home = env.HOME ?? userInfo().homedir;
  return [join(cwd, 'ansible.cfg'), join(home, '.ansible.cfg'), '/etc/ansible/ansible.cfg'].find((p) => existsSync(p));
}

/** `[section] key` of an INI file (Ansible's config syntax: `key = value`, # and ; comments). */
export function iniValue(text: string, section: string, key: string): string | undefined {
  let cur = '';
  let found: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) cur = sec[1].trim();
    else if (cur === section) {
      const m = /^([A-Za-z0-9_]+)\s*[=:]\s*(.*)$/.exec(line);
      if (m && m[1] === key) found = m[2].replace(/\s+[#;].*$/, '').trim();
    }
  }
  return found;
}

export interface BecomeSettings {
  /** from the config file and ANSIBLE_BECOME */
  configured: boolean;
  /** -b / --become on the command line */
  cli: boolean;
  /** remote_user from -u, ANSIBLE_REMOTE_USER or the config file */
  remoteUser?: string;
  /** play name -> its `become:` keyword, from the playbook file */
  playKeywords: Map<string, boolean>;
}

export function becomeSettings(opts: { env: NodeJS.ProcessEnv; cwd: string; cliBecome: boolean; cliUser?: string; playbookFile?: string }): BecomeSettings {
  const cfgFile = findAnsibleCfg(opts.env, opts.cwd);
  const cfg = cfgFile ? readFileSync(cfgFile, 'utf8') : '';
  const envBecome = ansibleBool(opts.env.ANSIBLE_BECOME);
  const configured = envBecome ?? ansibleBool(iniValue(cfg, 'privilege_escalation', 'become')) ?? false;
  const remoteUser = opts.cliUser ?? opts.env.ANSIBLE_REMOTE_USER ?? iniValue(cfg, 'defaults', 'remote_user');
  const playKeywords = new Map<string, boolean>();
  if (opts.playbookFile && existsSync(opts.playbookFile)) {
    try {
      const plays = parse(readFileSync(opts.playbookFile, 'utf8'), { version: '1.1' }) as unknown;
      for (const p of Array.isArray(plays) ? plays : []) {
        const b = ansibleBool((p as Record<string, unknown>)?.become);
        const name = (p as Record<string, unknown>)?.name;
        if (typeof name === 'string' && b !== undefined) playKeywords.set(name, b);
      }
    } catch {
      // a playbook the stand-in cannot read sets no keyword
    }
  }
  return { configured, cli: opts.cliBecome, remoteUser, playKeywords };
}

/** Does this play run with become on this host? */
export function becomeFor(s: BecomeSettings, playName: string, hostVars: Record<string, unknown>): boolean {
  const hostVar = ansibleBool(hostVars.ansible_become);
  if (hostVar !== undefined) return hostVar;
  const kw = s.playKeywords.get(playName);
  if (kw !== undefined) return kw;
  return s.cli || s.configured;
}

/** The user Ansible connects as. */
export function remoteUserFor(s: BecomeSettings, hostVars: Record<string, unknown>): string {
  const v = hostVars.ansible_user ?? hostVars.ansible_ssh_user;
  return v !== undefined && v !== null && String(v) ? String(v) : (s.remoteUser ?? userInfo().username);
}
