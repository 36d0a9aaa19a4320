// Stand-in `ansible-playbook` of the sandbox cluster: reads the inventory, runs its plays over
// SSH against the simulated hosts (node-ssh, the inventory's address, port and key), and prints
// Ansible's default callback or ansible.posix.jsonl. Exit codes as Ansible: 0, 2, 4, 99.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NodeSSH } from 'node-ssh';
import { defaultReporter, jsonlReporter, type HostStats } from './ansible-format.js';
import { becomeFor, becomeSettings, remoteUserFor } from './ansible-become.js';
import { readInventory, selectHosts, type InvHost } from './ansible-inventory.js';
import { playsFor, type Remote, type TaskResult } from './ansible-plays.js';

interface Args {
  inventory?: string;
  playbook?: string;
  limit?: string;
  check: boolean;
  become: boolean;
  user?: string;
  extra: Record<string, string>;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { check: false, become: false, extra: {} };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const val = () => (x.includes('=') ? x.slice(x.indexOf('=') + 1) : argv[++i]);
    if (x === '-i' || x.startsWith('--inventory')) a.inventory = val();
    else if (x === '-l' || x.startsWith('--limit')) a.limit = val();
    else if (x === '-C' || x === '--check') a.check = true;
    else if (x === '-b' || x === '--become') a.become = true;
    else if (x === '-u' || x.startsWith('--user')) a.user = val();
    else if (x === '-e' || x.startsWith('--extra-vars')) {
      for (const kv of (val() ?? '').split(/\s+/)) if (kv.includes('=')) a.extra[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    } else if (/^-(v+|D|-diff)$/.test(x)) continue;
    else if (/^-(f|t|-tags|-skip-tags|-private-key|-forks|-vault-password-file)$/.test(x)) i++;
    else if (!x.startsWith('-')) a.playbook = x;
  }
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (msg: string, code = 1) => {
  process.stderr.write(`ERROR! ${msg}\n`);
  return code;
};

/** The operation step a playbook run is (for injected failures). */
function faultStepOf(playbook: string): string | undefined {
  const base = playbook.split('/').pop()!.replace(/\.ya?ml$/, '');
  if (/hook|scaleway|specific|driver/.test(base)) return 'hooks';
  if (/valid/.test(base)) return 'validate';
  if (/network/.test(base)) return 'network';
  if (/^(site|main|deploy)$|opennebula\.deploy/.test(base) || /opennebula\.deploy/.test(playbook)) return 'deploy';
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  // as ansible-core 2.16 answers: the sandbox's stand-in runs the plays onedeck's jobs need
  if (argv.includes('--version')) {
    process.stdout.write('ansible-playbook [core 2.16.0] (onedeck sandbox stand-in)\n');
    return 0;
  }
  const a = parseArgs(argv);
  if (!a.playbook) return fail("the playbook: is required", 5);
  const invFile = a.inventory ? resolve(a.inventory) : undefined;
  if (!invFile || !existsSync(invFile)) return fail(`Unable to parse ${a.inventory ?? '/etc/ansible/hosts'} as an inventory source`, 1);
  const pbPath = resolve(a.playbook);
  if (!existsSync(pbPath) && !/^[a-z_]+\.[a-z_]+\.[a-z_]+$/.test(a.playbook)) return fail(`the playbook: ${a.playbook} could not be found`, 1);
  const inv = readInventory(invFile);
  const limited = a.limit ? new Set(selectHosts(inv, a.limit).map((h) => h.name)) : null;
  const frontend = [...inv.values()].find((h) => h.groups.includes('frontend'))?.name;
  const hooksDir = a.extra.hooks_dir ?? process.env.ONEDECK_HOOKS_DIR ?? join(dirname(existsSync(pbPath) ? pbPath : invFile), '..', 'hooks');
  const jsonl = /jsonl$/.test(process.env.ANSIBLE_STDOUT_CALLBACK ?? '');
  const rep = (jsonl ? jsonlReporter : defaultReporter)((s) => process.stdout.write(s));
  const become = becomeSettings({ env: process.env, cwd: process.cwd(), cliBecome: a.become, cliUser: a.user, playbookFile: existsSync(pbPath) ? pbPath : undefined });
  // extra vars win over every other variable
  const varsOf = (h: InvHost) => ({ ...h.vars, ...a.extra });

  const conns = new Map<string, Promise<NodeSSH>>();
  const connect = (h: InvHost) => {
    if (!conns.has(h.name)) {
      const v = h.vars;
      const ssh = new NodeSSH();
      const key = String(v.ansible_ssh_private_key_file ?? v.ansible_private_key_file ?? '');
      conns.set(
        h.name,
        ssh.connect({
          host: String(v.ansible_ssh_host ?? v.ansible_host ?? h.name),
          port: Number(v.ansible_port ?? v.ansible_ssh_port ?? 22),
          username: remoteUserFor(become, varsOf(h)),
          privateKey: key && existsSync(key) ? readFileSync(key, 'utf8') : undefined,
          readyTimeout: Number(process.env.ANSIBLE_TIMEOUT ?? 10) * 1000,
        }),
      );
    }
    return conns.get(h.name)!;
  };
  const remoteOf = async (name: string): Promise<Remote> => {
    const h = inv.get(name);
    if (!h) throw new Error(`no host ${name} in the inventory`);
    const ssh = await connect(h);
    return { exec: (cmd, stdin) => ssh.execCommand(cmd, stdin === undefined ? {} : { stdin }).then((r) => ({ stdout: r.stdout, stderr: r.stderr, code: r.code ?? 255 })) };
  };

  // whether the remote user may sudo without a password, asked once per host
  const sudoOk = new Map<string, Promise<boolean>>();
  const maySudo = (name: string, remote: Remote) => {
    if (!sudoOk.has(name)) sudoOk.set(name, remote.exec('sudo -n true').then((x) => x.code === 0, () => true));
    return sudoOk.get(name)!;
  };

  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const stats: Record<string, HostStats> = {};
  const st = (h: string) => (stats[h] ??= { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 });
  const down = new Set<string>();
  const registered = new Map<string, Record<string, unknown>>();
  let seq = 3;
  const uuid = () => `02fc0000-0001-90ae-5bdc-${String(seq++).padStart(12, '0')}`;
  let line = 1;
  // `onedeck sandbox fail <step>`: the frontend says whether this run must fail
  const step = faultStepOf(a.playbook);
  if (step && frontend && !a.check) {
    const r = await remoteOf(frontend).then((fe) => fe.exec(`onedeck-sandbox-fault ${step}`), () => undefined);
    if (r && r.code !== 0) {
      for (const c of conns.values()) void c.then((x) => x.dispose(), () => {});
      return fail(r.stderr.trim(), 2);
    }
  }
  for (const play of playsFor(a.playbook)) {
    const hosts = selectHosts(inv, play.hosts).filter((h) => !limited || limited.has(h.name));
    rep.playStart(play.name, uuid(), `${pbPath}:${line}`);
    if (hosts.length === 0) {
      if (!jsonl) process.stdout.write('skipping: no hosts matched\n');
      continue;
    }
    for (const task of play.tasks) {
      line += 3;
      const live = hosts.filter((h) => !down.has(h.name));
      if (live.length === 0 || interrupted) break;
      rep.taskStart(task.name, uuid(), `${pbPath}:${line}`);
      await Promise.all(
        live.map(async (h) => {
          await sleep(60 + Math.random() * 140);
          let r: TaskResult;
          if (task.only && !h.groups.includes(task.only)) r = { status: 'skipped', result: { changed: false, skip_reason: 'Conditional result was False' } };
          else if (task.privileged && !becomeFor(become, play.name, varsOf(h)) && remoteUserFor(become, varsOf(h)) !== 'root') {
            // what the module says on a real host when it runs as an ordinary user
            r = { status: 'failed', result: { changed: false, msg: task.privileged } };
          } else {
            try {
              const remote = await remoteOf(h.name);
              if (!registered.has(h.name)) registered.set(h.name, {});
              if (becomeFor(become, play.name, varsOf(h)) && remoteUserFor(become, varsOf(h)) !== 'root' && !(await maySudo(h.name, remote))) {
                // become runs the module through `sudo -n`: a user who needs a password gets Ansible's message
                r = { status: 'failed', result: { changed: false, msg: 'Missing sudo password' } };
              } else r = await task.run({ host: h, remote, remoteOf, frontend, check: a.check, hooksDir, registered: registered.get(h.name)! });
            } catch (err) {
              const e = err as NodeJS.ErrnoException & { level?: string };
              const v = h.vars;
              const addr = String(v.ansible_ssh_host ?? v.ansible_host ?? h.name);
              if (e.code === 'ECONNREFUSED' || e.level === 'client-socket' || e.level === 'client-timeout' || e.level === 'client-authentication') {
                const why = e.code === 'ECONNREFUSED' ? 'Connection refused' : e.level === 'client-authentication' ? 'Permission denied (publickey)' : 'Connection timed out';
                r = { status: 'unreachable', result: { changed: false, msg: `Failed to connect to the host via ssh: ssh: connect to host ${addr} port ${String(v.ansible_port ?? 22)}: ${why}`, unreachable: true } };
              } else r = { status: 'failed', result: { changed: false, msg: e.message } };
            }
          }
          const s = st(h.name);
          if (r.status === 'ok' || r.status === 'changed') s.ok++;
          if (r.status === 'changed') s.changed++;
          if (r.status === 'skipped') s.skipped++;
          if (r.status === 'failed') s.failures++;
          if (r.status === 'unreachable') s.unreachable++;
          if (r.status === 'failed' || r.status === 'unreachable') down.add(h.name);
          rep.result(h.name, r.status, r.result, task.action, r.delegate);
        }),
      );
    }
    if (interrupted) break;
  }
  for (const c of conns.values()) void c.then((s) => s.dispose(), () => {});
  if (interrupted) {
    process.stderr.write('ERROR! User interrupted execution\n');
    return 99;
  }
  rep.stats(stats);
  const vals = Object.values(stats);
  if (vals.some((s) => s.unreachable > 0)) return 4;
  if (vals.some((s) => s.failures > 0)) return 2;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`ERROR! Unexpected Exception, this is probably a bug: ${err.message}\n`);
    process.exit(250);
  },
);
