// The job service: what the actions' run() calls to plan, apply, deploy, cancel, each call with the
// session that asks (its operator goes into the job record and the lock; a read-only one is
// refused). Jobs run in detached runners; the watcher keeps the cluster store in step with every
// job on the machine (whichever onedeck process started them) and feeds their logs to the LogHub.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobService } from '../services.js';
import { buildTfvars, writeTfvars } from '../adapters/tofu/tfvars.js';
import type { Config } from '../config/schema.js';
import type { JobRecord } from '../domain/job.js';
import { OnedeckError, describeError } from '../errors.js';
import type { LogHub } from '../logs/log-hub.js';
import type { Paths } from '../paths.js';
import type { Session } from '../session.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { FILES, jobDir, newJobId, readJson, type JobSpec, type PostStep } from './job-store.js';
import { clusterIdentity, ownJobRecord } from './cluster-identity.js';
import { JobWatcher, type ToolProblems } from './job-watcher.js';
import type { Activity } from '../idle.js';
import { launchJob, type LaunchRequest } from './launcher.js';
import { isAlive, killGroup, toolGroupAlive } from './proc.js';
import { ansibleEnv, findAnsiblePlaybook, findTofu, tofuEnv } from '../adapters/tools.js';
import { renderInventory, writeInventory } from '../adapters/ansible/inventory.js';
import { OUTPUTS_FILE, readInventory } from '../adapters/tofu/outputs.js';

export type PlaybookKind = 'deploy' | 'hooks' | 'validate' | 'network';

export interface JobServiceOptions {
  config: Config;
  paths: Paths;
  cluster: ClusterStore;
  logHub: LogHub;
  runnerScript: string;
  secrets: () => Record<string, string>;
  /** ms between SIGINT and SIGKILL of a cancelled job's process group (default 10 s; tofu 30 s) */
  killGraceMs?: number;
  /** extra environment for every tool, over onedeck's own (tests: ANSIBLE_SSH_ARGS, HOME) */
  extraEnv?: Record<string, string>;
  /** status poll interval (default 1000 ms) */
  pollMs?: number;
  /** write the tofu inputs before a plan (default: buildTfvars + writeTfvars) */
  writeInputs?: (config: Config) => Promise<void>;
  /** an apply renders the Ansible inventory from its outputs as its last step (default true) */
  inventoryAfterApply?: boolean;
  /** ms between two looks for tofu and ansible-playbook on PATH (default 5000) */
  toolCheckMs?: number;
  /** the core's idle signal (src/idle.ts), handed to the job watcher */
  activity?: Activity;
}

const toolName = (bin: string) => (/terraform$/.test(bin) ? 'terraform' : 'tofu');

/** moved to src/session.ts (kept here for callers of the old place) */
export { operatorFromEnv } from '../session.js';

/** moved to src/jobs/proc.ts (kept here for callers of the old place) */
export { toolGroupAlive } from './proc.js';
export const inventoryPath = (config: Config) => config.paths.inventory;

/** one-deploy-validation, fetched once into ansible/vendor/ (see ansible/validate.yml) */
export function validationSuiteDir(config: Pick<Config, 'paths'>): string | undefined {
  const dir = join(config.paths.ansible, 'vendor', 'one-deploy-validation');
  return existsSync(join(dir, 'playbooks', 'validation.yml')) ? dir : undefined;
}

const VALIDATION_SCRIPT = [
  '"$0" -i "$1" "$2" -e onedeck_validation_run=false || exit $?',
  'cd "$3" || exit 1',
  'if [ -f "$3/ansible.cfg" ]; then export ANSIBLE_CONFIG="$3/ansible.cfg"; fi',
  'exec "$0" -i "$1" "$3/playbooks/validation.yml"',
].join('\n');

/** The public key installed on the servers: ssh.key's .pub, else the usual ones in ~/.ssh. */
export function sshPublicKeyFile(config: Pick<Config, 'ssh'>, home = process.env.HOME ?? '/root'): string {
  const candidates = config.ssh.key
    ? [`${config.ssh.key}.pub`]
    : [join(home, '.ssh', 'id_ed25519.pub'), join(home, '.ssh', 'id_ecdsa.pub'), join(home, '.ssh', 'id_rsa.pub')];
  const found = candidates.find((f) => existsSync(f));
  if (found) return found;
  throw new OnedeckError(`no SSH public key for the servers: ${candidates.join(', ')} ${candidates.length > 1 ? 'do' : 'does'} not exist`, {
    hint: config.ssh.key
      ? `Create it with: ssh-keygen -y -f ${config.ssh.key} > ${config.ssh.key}.pub`
      : 'Set ssh.key in onedeck.yaml to your private key (its .pub is installed on the servers), or create one with ssh-keygen -t ed25519.',
  });
}

async function defaultWriteInputs(config: Config): Promise<void> {
  await writeTfvars(config.paths.terraform, buildTfvars(config, readFileSync(sshPublicKeyFile(config), 'utf8')));
}

/** Why each tool cannot be run, or nothing (looks at PATH and the configured paths). */
export function toolProblems(config: Config): ToolProblems {
  const out: ToolProblems = {};
  const check = (tool: keyof ToolProblems, find: () => unknown) => {
    try {
      find();
    } catch (err) {
      out[tool] = describeError(err).split('\n')[0];
    }
  };
  check('tofu', () => findTofu(config));
  check('ansible', () => findAnsiblePlaybook(config));
  return out;
}

/** Why a playbook cannot run yet: it needs the inventory, rendered from tofu's outputs or already in place. */
export function inventoryProblem(config: Config): string | undefined {
  const dir = config.paths.terraform;
  const have = [join(dir, OUTPUTS_FILE), join(dir, 'terraform.tfstate'), join(dir, '.terraform', 'terraform.tfstate'), inventoryPath(config)].some((f) => existsSync(f));
  return have ? undefined : 'no servers yet: plan and apply first (p, then a) — the inventory is built from them';
}

/** A read-only session starts and cancels nothing, whatever front end let the call through. */
function writable(session: Session, what: string): void {
  if (session.readonly) {
    throw new OnedeckError(`${what}: not available, this session is read-only`, {
      hint: session.readonlyForced
        ? `Read-only is ${session.readonlyReason}: only the administrator can lift it.`
        : 'Start onedeck without --readonly (and without ONEDECK_READONLY=1 or readonly: true in onedeck.yaml).',
    });
  }
}

export type JobServiceHandle = JobService & { start(): void; stop(): void; refresh(): void };

export function createJobService(opts: JobServiceOptions): JobServiceHandle {
  const { config, paths, cluster } = opts;
  const jobsDir = paths.jobsDir;
  const mine = clusterIdentity(config);
  const ownJob = (jobId: string, what: string): JobRecord => ownJobRecord(jobsDir, jobId, mine, what);
  const watcher = new JobWatcher({
    mine,
    jobsDir,
    lockFile: paths.lockFile,
    cluster,
    logHub: opts.logHub,
    pollMs: opts.pollMs,
    toolProblems: () => toolProblems(config),
    toolCheckMs: opts.toolCheckMs,
    inventoryProblem: () => inventoryProblem(config),
    activity: opts.activity,
  });

  const launch = async (session: Session, req: LaunchRequest, grace?: number): Promise<string> => {
    writable(session, req.title);
    if (opts.extraEnv) req = { ...req, env: { ...req.env, ...opts.extraEnv } };
    req = { ...req, cluster: mine };
    const id = await launchJob(req, {
      jobsDir,
      lockFile: paths.lockFile,
      runnerScript: opts.runnerScript,
      user: session.user,
      from: session.from,
      secrets: opts.secrets(),
      killGraceMs: grace ?? opts.killGraceMs ?? 10_000,
    });
    // the job shows up running: the log registry holds its log while it runs (holdRunningJobLogs)
    watcher.refresh();
    return id;
  };

  const tofuReq = (id: string, kind: 'plan' | 'apply' | 'init', title: string, args: string[], extra: Partial<LaunchRequest> = {}): LaunchRequest => {
    const tofu = findTofu(config);
    return {
      id,
      kind,
      title,
      command: tofu,
      args,
      cwd: config.paths.terraform,
      env: tofuEnv(config),
      format: 'tofu-json',
      mutating: true,
      toolName: toolName(tofu),
      ...extra,
    };
  };

  const playbookFile = (kind: PlaybookKind): string => {
    const dir = config.paths.ansible;
    if (kind === 'deploy') return existsSync(join(dir, 'site.yml')) ? join(dir, 'site.yml') : 'opennebula.deploy.main';
    const file = join(dir, kind === 'validate' ? 'validate.yml' : `${kind}.yml`);
    if (!existsSync(file)) {
      throw new OnedeckError(`${file} does not exist`, { hint: `paths.ansible in onedeck.yaml must point at onedeck's ansible/ directory.` });
    }
    return file;
  };

  const service: JobServiceHandle = {
    start: () => watcher.start(),
    stop: () => watcher.stop(),
    refresh: () => watcher.refresh(),

    async plan(session) {
      writable(session, 'plan');
      const id = newJobId('plan');
      const tofu = findTofu(config);
      await (opts.writeInputs ?? defaultWriteInputs)(config);
      const planFile = join(jobDir(jobsDir, id), FILES.planFile);
      const args = ['plan', '-input=false', '-lock-timeout=0s', `-out=${planFile}`, '-json'];
      if (!existsSync(join(config.paths.terraform, '.terraform'))) {
        // init first, in the same job: `sh -c` keeps one process group and one log
        return launch(
          session,
          tofuReq(id, 'plan', `${toolName(tofu)} init + plan`, ['-c', `"$0" init -input=false -no-color && exec "$0" "$@"`, tofu, ...args], { command: '/bin/sh' }),
          30_000,
        );
      }
      return launch(session, tofuReq(id, 'plan', `${toolName(tofu)} plan`, args), 30_000);
    },

    async init(session, upgrade) {
      const id = newJobId('init');
      const args = ['init', '-input=false', '-no-color', ...(upgrade ? ['-upgrade'] : [])];
      return launch(session, tofuReq(id, 'init', `${toolName(findTofu(config))} init${upgrade ? ' -upgrade' : ''}`, args, { format: 'plain' }), 30_000);
    },

    async apply(session, planJobId) {
      writable(session, 'apply');
      // only the cluster that made the plan applies it, in the directory it was made in
      const planRec = ownJob(planJobId, 'apply');
      if (planRec.kind !== 'plan') throw new OnedeckError(`job ${planJobId} is not a plan`, { hint: 'Run a new plan with p.' });
      const planCwd = readJson<JobSpec>(join(jobDir(jobsDir, planJobId), FILES.spec))?.cwd;
      if (planCwd !== config.paths.terraform) {
        throw new OnedeckError(`apply: plan ${planJobId} was made in ${planCwd ?? 'an unknown directory'}, not in this cluster's terraform directory ${config.paths.terraform}`, {
          hint: 'Run a new plan with p.',
        });
      }
      const planFile = join(jobDir(jobsDir, planJobId), FILES.planFile);
      if (!existsSync(planFile)) throw new OnedeckError(`plan ${planJobId} has no saved plan file`, { hint: 'Run a new plan with p.' });
      const tofu = findTofu(config);
      const id = newJobId('apply');
      const outputsFile = join(config.paths.terraform, OUTPUTS_FILE);
      // the apply job itself writes the outputs, then the inventory built from them: no watcher
      // (and no read-only process) ever writes either
      const post: PostStep[] = [{ command: tofu, args: ['output', '-json'], stdoutFile: outputsFile }];
      if (opts.inventoryAfterApply ?? true) post.push({ renderInventory: { outputsFile, inventoryFile: inventoryPath(config), config } });
      return launch(
        session,
        tofuReq(id, 'apply', `${toolName(tofu)} apply (plan ${planJobId})`, ['apply', '-input=false', '-lock-timeout=0s', '-json', planFile], { planJobId, post }),
        30_000,
      );
    },

    async playbook(session, kind, limit) {
      writable(session, kind);
      const bin = findAnsiblePlaybook(config);
      const book = playbookFile(kind);
      const inv = inventoryPath(config);
      // render the inventory afresh from the current tofu outputs and config, so a playbook never
      // runs on an inventory older than either
      // (without any tofu state, an inventory already in place — say, written by hand — is used as is)
      const outputs = await readInventory(config);
      if (outputs) await writeInventory(inv, renderInventory(outputs, config));
      else if (!existsSync(inv)) {
        throw new OnedeckError(`there is no OpenTofu state in ${config.paths.terraform} to build the Ansible inventory from`, {
          hint: 'Plan and apply first (p, then a): the inventory is rendered from the `inventory` output.',
        });
      }
      const args = ['-i', inv, book];
      if (limit?.length) args.push('--limit', limit.join(','));
      const titles: Record<PlaybookKind, string> = { deploy: 'OneDeploy', hooks: 'Flexible-IP hooks', validate: 'validation', network: 'host network' };
      const id = newJobId(kind);
      // per-job ssh masters: the runner closes them when the job ends
      const env: Record<string, string> = { ...ansibleEnv(config), ANSIBLE_SSH_CONTROL_PATH_DIR: join(jobDir(jobsDir, id), 'cp') };
      const suite = kind === 'validate' ? validationSuiteDir(config) : undefined;
      const run = suite
        ? {
            // validate.yml's checks (the pinned tag), then the suite's own playbook in the same job,
            // so its events stream task by task; `sh -c` keeps one process group and one log
            command: '/bin/sh',
            args: ['-c', VALIDATION_SCRIPT, bin, inv, book, suite],
            env: { ...env, ANSIBLE_COLLECTIONS_PATH: `${join(suite, 'collections')}:${env.ANSIBLE_COLLECTIONS_PATH}` },
          }
        : { command: bin, args, env };
      return launch(session, {
        id,
        kind,
        title: `${titles[kind]}${limit?.length ? ` (${limit.join(',')})` : ''}`,
        ...run,
        cwd: config.paths.ansible,
        format: 'ansible-jsonl',
        mutating: true,
      });
    },

    async cancel(session, jobId) {
      writable(session, `cancel job ${jobId}`);
      ownJob(jobId, 'cancel');
      const st = readJson<JobRecord>(join(jobDir(jobsDir, jobId), FILES.status));
      if (!st || st.state !== 'running') throw new OnedeckError(`job ${jobId} is not running`);
      // a pid reused since (the runner crashed, the machine rebooted) is some other process: leave it alone
      if (st.pid && isAlive(st.pid, st.pidStart)) {
        process.kill(st.pid, 'SIGINT');
      } else if (st.pgid && toolGroupAlive(st.pgid, st.pgidStart)) {
        // the runner is gone: nobody will escalate, so end the group now
        killGroup(st.pgid, 'SIGKILL');
      }
    },

    async saveLog(session, jobId, path) {
      writable(session, 'save log'); // a read-only session writes no file but its own log
      const src = join(jobDir(jobsDir, jobId), FILES.log);
      if (!existsSync(src)) throw new OnedeckError(`job ${jobId} has no log`);
      const ts = new Date().toISOString().replace(/[:.]/g, '-');
      const dest = path ?? join(paths.stateDir, 'saved', `${jobId}-${ts}.log`);
      mkdirSync(join(dest, '..'), { recursive: true });
      await copyFile(src, dest);
      return dest;
    },

  };
  return service;
}
