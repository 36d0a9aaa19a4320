// The plays the stand-in ansible-playbook runs, by playbook: hooks (Flexible IP hooks), deploy
// (OneDeploy: libvirtd + host registration), validation, and a ping for anything else. Every
// task acts on the simulated hosts only through SSH commands they understand.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHookFiles } from '../hook-hashes.js';
import { FRONTEND_REMOTES_DIR, HOOKS_DIR } from '../state-types.js';
import type { HostStatus } from './ansible-format.js';
import type { InvHost } from './ansible-inventory.js';

export interface Remote {
  exec(cmd: string, stdin?: string): Promise<{ stdout: string; stderr: string; code: number }>;
}

export interface TaskCtx {
  host: InvHost;
  remote: Remote;
  /** SSH to another inventory host (delegate_to) */
  remoteOf(name: string): Promise<Remote>;
  frontend: string | undefined;
  check: boolean;
  hooksDir: string;
  /** values registered by earlier tasks on this host */
  registered: Record<string, unknown>;
}

export interface TaskResult {
  status: HostStatus;
  result: Record<string, unknown>;
  delegate?: string;
}

export interface Task {
  name: string;
  action: string;
  /** only on hosts of this group */
  only?: 'frontend' | 'node';
  /** needs root (or become_user oneadmin): the message the module fails with when run without become */
  privileged?: string;
  run(ctx: TaskCtx): Promise<TaskResult>;
}

export interface Play {
  name: string;
  hosts: string;
  tasks: Task[];
}

const okr = (changed: boolean, extra: Record<string, unknown> = {}): TaskResult => ({ status: changed ? 'changed' : 'ok', result: { changed, ...extra } });
const failr = (msg: string, extra: Record<string, unknown> = {}): TaskResult => ({ status: 'failed', result: { changed: false, msg, ...extra } });

function cmdResult(cmd: string, r: { stdout: string; stderr: string; code: number }, changed: boolean, t0: Date): TaskResult {
  const end = new Date();
  const py = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '000');
  const res = {
    changed,
    cmd,
    delta: `0:00:00.${String(end.getTime() - t0.getTime()).padStart(3, '0')}000`,
    end: py(end),
    msg: r.code === 0 ? '' : 'non-zero return code',
    rc: r.code,
    start: py(t0),
    stderr: r.stderr.trimEnd(),
    stderr_lines: r.stderr.trimEnd() ? r.stderr.trimEnd().split('\n') : [],
    stdout: r.stdout.trimEnd(),
    stdout_lines: r.stdout.trimEnd() ? r.stdout.trimEnd().split('\n') : [],
  };
  return r.code === 0 ? { status: changed ? 'changed' : 'ok', result: res } : { status: 'failed', result: res };
}

const gather: Task = {
  name: 'Gathering Facts',
  action: 'gather_facts',
  async run({ remote }) {
    const r = await remote.exec('hostname');
    return okr(false, { ansible_facts: { ansible_hostname: r.stdout.trim() } });
  },
};

/** Copy one file to the host unless its sha256 already matches. */
async function install(ctx: TaskCtx, dest: string, content: string, sha: string): Promise<boolean> {
  const cur = await ctx.remote.exec(`sha256sum ${dest}`);
  if (cur.code === 0 && cur.stdout.startsWith(sha)) return false;
  if (!ctx.check) {
    const dir = dest.slice(0, dest.lastIndexOf('/'));
    const r = await ctx.remote.exec(`mkdir -p ${dir} && cat > ${dest}`, content);
    if (r.code !== 0) throw new Error(r.stderr.trim() || `cannot write ${dest}`);
  }
  return true;
}

/** Evaluate the one Jinja form the inventory uses for secrets: {{ lookup('env', 'NAME') }}. */
export function hostVar(v: unknown): string {
  const m = /^\{\{\s*lookup\('env',\s*'([A-Z0-9_]+)'\)\s*\}\}$/.exec(String(v ?? '').trim());
  return m ? (process.env[m[1]] ?? '') : String(v ?? '');
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** What the modules answer on a real host when they run as an ordinary user. */
const DENIED = {
  apt: 'Failed to lock apt for exclusive operation: Failed to lock directory /var/lib/apt/lists/: E:Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)',
  dir: (p: string) => `There was an issue creating ${p} as requested: [Errno 13] Permission denied: b'${p}'`,
  copy: (dir: string) => `Destination ${dir} not writable`,
  service: (unit: string) => `Unable to start service ${unit}: Failed to start ${unit}.service: Interactive authentication required.\nSee system logs and 'systemctl status ${unit}.service' for details.`,
  oneadmin: 'Failed to set permissions on the temporary files Ansible needs to create when becoming an unprivileged user (rc: 1, err: sudo: a password is required)',
};

/** ansible/hooks.yml: credentials on every node, then hooks on the frontend + onehost sync. */
function hookPlays(): Play[] {
  const credentials: Task[] = [
    {
      name: "Check the token and this host's server id",
      action: 'ansible.builtin.assert',
      async run(ctx) {
        const token = hostVar(ctx.host.vars.scw_flexible_ip_token);
        const id = String(ctx.host.vars.scw_server_id ?? '');
        if (!token || !/^[a-z]{2}-[a-z]{3}-[1-9]\/[0-9a-f-]{36}$/.test(id)) {
          return failr(
            `${ctx.host.name}: SCW_FLEXIBLE_IP_TOKEN is not set for this run, or scw_server_id ("${id}") is not zone/uuid. Re-render the inventory after \`tofu apply\`.`,
            { assertion: "scw_flexible_ip_token | default('') | length > 0", evaluated_to: false },
          );
        }
        return okr(false, { msg: 'All assertions passed' });
      },
    },
    { name: 'Install what the hooks run (bash, curl, jq, python3)', action: 'ansible.builtin.apt', privileged: DENIED.apt, run: async () => okr(false, { cache_updated: false }) },
    {
      name: 'Directories for the credentials and the hook logs',
      action: 'ansible.builtin.file',
      privileged: DENIED.dir('/var/log/vnm'),
      run: async (ctx) => okr((await ctx.remote.exec('cat /var/log/vnm/scw-flexip-attach.log')).code !== 0 && !ctx.check, { path: '/var/log/vnm', state: 'directory' }),
    },
    {
      name: 'Write the Flexible-IP API token (0600)',
      action: 'ansible.builtin.copy',
      privileged: DENIED.copy('/var/lib/one'),
      run: async (ctx) => {
        const token = hostVar(ctx.host.vars.scw_flexible_ip_token);
        return okr(await install(ctx, '/var/lib/one/.scw-flexip.token', token, sha(token)), { censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result" });
      },
    },
    {
      name: "Write this host's zoned server id (0600)",
      action: 'ansible.builtin.copy',
      privileged: DENIED.copy('/var/lib/one'),
      run: async (ctx) => {
        const id = String(ctx.host.vars.scw_server_id ?? '');
        return okr(await install(ctx, '/var/lib/one/scw-server-id', id, sha(id)), { dest: '/var/lib/one/scw-server-id', mode: '0600' });
      },
    },
  ];
  const frontend: Task[] = [
    { name: 'Hook directories in the VNM bridge remotes', action: 'ansible.builtin.file', privileged: DENIED.dir('/var/lib/one/remotes/vnm/bridge/pre.d'), run: async () => okr(false, { state: 'directory' }) },
    {
      name: 'Install the hooks and their library',
      action: 'ansible.builtin.copy',
      privileged: DENIED.copy('/var/lib/one/remotes/vnm/bridge/pre.d'),
      async run(ctx) {
        let changed = false;
        for (const [rel, f] of Object.entries(readHookFiles(ctx.hooksDir))) {
          changed = (await install(ctx, join(FRONTEND_REMOTES_DIR, rel), f.local ? readFileSync(f.local, 'utf8') : '', f.sha)) || changed;
        }
        return okr(changed);
      },
    },
    {
      name: 'List the OpenNebula hosts',
      action: 'ansible.builtin.command',
      privileged: DENIED.oneadmin,
      async run(ctx) {
        const cmd = 'sudo -n -u oneadmin onehost list --list ID,NAME --csv --no-header';
        const r = cmdResult(cmd, await ctx.remote.exec(cmd), false, new Date());
        ctx.registered.onehost_list = r.result.stdout_lines;
        return r;
      },
    },
    {
      name: 'Push the remotes to each host (onehost sync --force)',
      action: 'ansible.builtin.command',
      privileged: DENIED.oneadmin,
      async run(ctx) {
        const rows = ((ctx.registered.onehost_list as string[]) ?? []).filter((l) => /^\s*\d+,/.test(l));
        const results: { item: string; rc: number; stderr: string }[] = [];
        for (const row of rows) {
          if (ctx.check) continue;
          const r = await ctx.remote.exec(`sudo -n -u oneadmin onehost sync --force ${row.split(',')[0]}`);
          results.push({ item: row, rc: r.code, stderr: r.stderr.trim() });
        }
        ctx.registered.onehost_sync = results;
        return okr(results.some((r) => r.rc === 0), { msg: 'All items completed', results: results.map((r) => ({ item: r.item, rc: r.rc })) });
      },
    },
    {
      name: 'Every host received the hooks',
      action: 'ansible.builtin.assert',
      async run(ctx) {
        const results = (ctx.registered.onehost_sync as { item: string; rc: number }[]) ?? [];
        const bad = results.filter((r) => r.rc !== 0).map((r) => r.item);
        if (ctx.check) return okr(false, { msg: 'skipped in check mode' });
        if (results.length === 0 || bad.length) {
          return failr(`onehost sync failed on: ${bad.join('; ') || 'no OpenNebula host is registered yet (run site.yml first)'}`, { assertion: 'onehost_sync.results | rejectattr(\'rc\', \'equalto\', 0) | list | length == 0', evaluated_to: false });
        }
        return okr(false, { msg: `hooks synced to ${results.length} host(s)` });
      },
    },
  ];
  return [
    { name: 'Flexible-IP hook credentials on every node', hosts: 'node', tasks: credentials },
    { name: 'Install the hooks on the frontend and sync them to every host', hosts: 'frontend', tasks: frontend },
  ];
}

async function frontendHosts(ctx: TaskCtx): Promise<{ fe: Remote; hosts: { ID: string; NAME: string; STATE: string }[] }> {
  const fe = await ctx.remoteOf(ctx.frontend ?? ctx.host.name);
  const r = await fe.exec('sudo -n -u oneadmin onehost list -j');
  const pool = (JSON.parse(r.stdout || '{}') as { HOST_POOL?: { HOST?: unknown } }).HOST_POOL?.HOST;
  const hosts = (Array.isArray(pool) ? pool : pool ? [pool] : []) as { ID: string; NAME: string; STATE: string }[];
  return { fe, hosts };
}

function deployPlays(): Play[] {
  return [
    {
      name: 'OneDeploy: frontend',
      hosts: 'frontend',
      tasks: [
        gather,
        { name: 'opennebula/server : Install OpenNebula packages', action: 'ansible.builtin.package', privileged: DENIED.apt, run: async () => okr(false) },
        { name: 'opennebula/server : Ensure OpenNebula services are started', action: 'ansible.builtin.service', privileged: DENIED.service('opennebula'), run: async () => okr(false, { name: 'opennebula', state: 'started' }) },
      ],
    },
    {
      name: 'OneDeploy: nodes',
      hosts: 'node',
      tasks: [
        gather,
        {
          name: 'kvm : Install opennebula-node-kvm',
          action: 'ansible.builtin.package',
          privileged: DENIED.apt,
          run: async (ctx) => okr((await ctx.remote.exec('systemctl is-active libvirtd')).code !== 0),
        },
        {
          name: 'kvm : Enable and start libvirtd',
          action: 'ansible.builtin.service',
          privileged: DENIED.service('libvirtd'),
          async run(ctx) {
            const active = (await ctx.remote.exec('systemctl is-active libvirtd')).code === 0;
            if (!active && !ctx.check) await ctx.remote.exec('systemctl enable --now libvirtd');
            return okr(!active, { name: 'libvirtd', state: 'started', enabled: true });
          },
        },
        {
          name: 'kvm : Add the node to OpenNebula',
          action: 'ansible.builtin.command',
          privileged: DENIED.oneadmin,
          async run(ctx) {
            const name = String(ctx.host.vars.ansible_host ?? ctx.host.name);
            const { fe, hosts } = await frontendHosts(ctx);
            const delegate = ctx.frontend;
            if (hosts.some((h) => h.NAME === name)) return { ...okr(false, { msg: `host ${name} already registered` }), delegate };
            const cmd = `sudo -n -u oneadmin onehost create ${name} -i kvm -v kvm`;
            if (ctx.check) return { ...okr(true), delegate };
            return { ...cmdResult(cmd, await fe.exec(cmd), true, new Date()), delegate };
          },
        },
      ],
    },
  ];
}

function validationPlays(): Play[] {
  return [
    {
      name: 'Validate the cloud',
      hosts: 'node',
      tasks: [
        gather,
        {
          name: 'validation : libvirtd is active',
          action: 'ansible.builtin.command',
          run: async (ctx) => cmdResult('systemctl is-active libvirtd', await ctx.remote.exec('systemctl is-active libvirtd'), false, new Date()),
        },
        {
          name: 'validation : the OpenNebula host is MONITORED',
          action: 'ansible.builtin.assert',
          async run(ctx) {
            const name = String(ctx.host.vars.ansible_host ?? ctx.host.name);
            const { hosts } = await frontendHosts(ctx);
            const h = hosts.find((x) => x.NAME === name);
            const r = !h ? failr(`host ${name} is not registered in OpenNebula`) : h.STATE !== '2' ? failr(`host ${name} (${h.ID}) is in state ${h.STATE}, not MONITORED (2)`) : okr(false, { msg: 'All assertions passed' });
            return { ...r, delegate: ctx.frontend };
          },
        },
        {
          name: 'validation : the Flexible IP hooks match the repository',
          action: 'ansible.builtin.assert',
          async run(ctx) {
            const bad: string[] = [];
            for (const [rel, f] of Object.entries(readHookFiles(ctx.hooksDir))) {
              const r = await ctx.remote.exec(`sha256sum ${join(HOOKS_DIR, rel)}`);
              if (r.code !== 0 || !r.stdout.startsWith(f.sha)) bad.push(rel);
            }
            return bad.length ? failr(`hook files missing or different: ${bad.join(', ')}`) : okr(false, { msg: 'All assertions passed' });
          },
        },
      ],
    },
  ];
}

/** The plays for a playbook path or collection playbook name. */
export function playsFor(playbook: string): Play[] {
  const base = playbook.split('/').pop()!.replace(/\.ya?ml$/, '');
  if (/hook|scaleway|specific|driver/.test(base)) return hookPlays();
  if (/valid/.test(base)) return validationPlays();
  if (/^(site|main|deploy)$|opennebula\.deploy/.test(base) || /opennebula\.deploy/.test(playbook)) return deployPlays();
  return [{ name: base, hosts: 'all', tasks: [gather, { name: 'ansible.builtin.ping', action: 'ansible.builtin.ping', run: async () => okr(false, { ping: 'pong' }) }] }];
}
