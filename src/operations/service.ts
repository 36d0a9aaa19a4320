// The operations as the actions call them (services.operations): previews (with I/O: onedeck.yaml
// read afresh, OpenNebula asked over SSH), and start, resume, cancel, abandon, roll back. Every
// call that changes something takes the session that asks: a read-only one is refused here too.
import { OnedeckError } from '../errors.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { readInventory } from '../adapters/tofu/outputs.js';
import { sshTargets } from '../health/targets.js';
import type { SshPool } from '../adapters/ssh/connection-pool.js';
import { lockHolder, heldError } from '../jobs/lock.js';
import type { Session } from '../session.js';
import { abandonOperation, cancelOperation, readOperation, startDetached } from './operations.js';
import { createFromPreview, outline, previewAdd, previewRemove } from './prepare.js';
import type { OperationPreview, OperationService } from '../services.js';
import { resumable } from './summary.js';

export interface OperationServiceOptions {
  config: Config;
  stateDir: string;
  lockFile: string;
  /** dist/operation-runner.js */
  runnerScript: string;
  /** the health monitor's SSH pool (the preview asks OpenNebula on the frontend) */
  pool: Pick<SshPool, 'exec'>;
  env?: NodeJS.ProcessEnv;
}

/** the steps an add has run before OneDeploy: a rollback of it destroys only what they made */
const BEFORE_DEPLOY = ['config', 'plan', 'apply', 'server-ready', 'network'];

export function createOperationService(o: OperationServiceOptions): OperationService {
  const file = o.config.source.file ?? '';
  const fresh = (): Config => {
    if (!file) throw new OnedeckError('this cluster has no onedeck.yaml to edit', { hint: 'Operations edit onedeck.yaml: start onedeck with one (-c FILE).' });
    return loadConfigFile(file, { sandbox: o.config.source.sandbox });
  };
  const writable = (session: Session) => {
    if (session.readonly) throw new OnedeckError('this session is read-only', { hint: 'Operations change the cluster; open onedeck without --readonly.', exitCode: 1 });
  };
  const oneDeps = () => {
    const c = fresh();
    return {
      onePrefix: c.opennebula.command_prefix,
      config: {
        file,
        read: () => ({
          frontend: c.frontend.name,
          hypervisors: c.hypervisors.map((h) => h.name),
          privateIps: Object.fromEntries([c.frontend, ...c.hypervisors].map((h) => [h.name, h.private_ip])),
        }),
      },
      async frontend(command: string) {
        const ep = sshTargets(c, await readInventory(c).catch(() => undefined))[c.frontend.name]?.endpoint;
        if (!ep) throw new OnedeckError('the frontend has no SSH endpoint yet', { hint: 'Apply the infrastructure first (p, a), or set frontend.ssh in onedeck.yaml.' });
        const r = await o.pool.exec(ep, command, { timeoutMs: 60_000 });
        return { stdout: r.stdout, stderr: r.stderr, code: r.code };
      },
    };
  };
  const detached = { stateDir: o.stateDir, lockFile: o.lockFile, runnerScript: o.runnerScript, ...(o.env ? { env: o.env } : {}) };
  const notLocked = async () => {
    // an operation whose journal has ended lets the lock go a moment later: wait for that
    for (let i = 0; i < 40; i++) {
      const h = lockHolder(o.lockFile);
      if (!h) return;
      const ended = h.kind === 'operation' && readOperation(o.stateDir, h.jobId)?.state !== 'running';
      if (!ended) throw heldError(h);
      await new Promise((r) => setTimeout(r, 50));
    }
    const h = lockHolder(o.lockFile);
    if (h) throw heldError(h);
  };
  const get = (id: string) => {
    const s = readOperation(o.stateDir, id);
    if (!s) throw new OnedeckError(`no operation ${id}`, { hint: 'See :ops for the operations on this machine.', exitCode: 64 });
    return s;
  };
  const svc: OperationService = {
    async previewAdd(names) {
      const c = fresh();
      const p = previewAdd({ frontend: c.frontend.name, hypervisors: c.hypervisors.map((h) => h.name) }, names);
      return { kind: 'add', hosts: p.hosts, steps: p.steps, lines: [] };
    },
    async previewRemove(name) {
      const p = await previewRemove(oneDeps(), name);
      return { kind: 'remove', hosts: [p.host], steps: p.steps, lines: p.lines };
    },
    async start(session, p) {
      writable(session);
      await notLocked();
      const prep = p.kind === 'add' ? { kind: 'add' as const, hosts: p.hosts, steps: p.steps } : { kind: 'remove' as const, host: p.hosts[0], steps: p.steps, lines: p.lines };
      const s = createFromPreview(o.stateDir, prep, { configFile: file, operator: { user: session.user, ...(session.from ? { from: session.from } : {}) } });
      await startDetached(s.id, detached);
      return s.id;
    },
    async resume(session, id) {
      writable(session);
      const s = get(id);
      await notLocked();
      if (!resumable(s)) throw new OnedeckError(`operation ${id} is ${s.state}: it cannot be resumed`, { hint: s.state === 'running' ? 'It runs: :ops shows it.' : 'Start a new one.', exitCode: 64 });
      await startDetached(id, detached);
    },
    cancel(session, id) {
      writable(session);
      cancelOperation(o.stateDir, get(id).id, session.user);
    },
    abandon(session, id) {
      writable(session);
      abandonOperation(o.stateDir, get(id).id);
    },
    async rollbackPreview(id) {
      const s = get(id);
      if (s.spec.kind !== 'add') throw new OnedeckError(`operation ${id} is a removal: only an add can be rolled back`, { exitCode: 64 });
      if (s.state === 'running') throw new OnedeckError(`operation ${id} is running`, { hint: 'Cancel it first (x).', exitCode: 64 });
      if (s.state === 'done') throw new OnedeckError(`operation ${id} is done: remove the host instead (:remove ${s.spec.hosts[0]})`, { exitCode: 64 });
      const late = s.steps.find((x) => !BEFORE_DEPLOY.includes(x.id) && x.state !== 'pending');
      if (late) throw new OnedeckError(`operation ${id} reached ${late.title}: it can no longer be rolled back`, { hint: `Remove the host instead: :remove ${s.spec.hosts[0]}.`, exitCode: 64 });
      if (s.spec.hosts.length !== 1) throw new OnedeckError(`operation ${id} added ${s.spec.hosts.length} hosts: roll back one host at a time`, { hint: `Abandon it, then :remove each of ${s.spec.hosts.join(', ')}.`, exitCode: 64 });
      const host = s.spec.hosts[0];
      const c = fresh();
      const steps = outline('remove', [host]);
      const lines = [`undo ${s.spec.title}: destroy ${host}'s server and Flexible IP (if made), take it out of onedeck.yaml`];
      if (!c.hypervisors.some((h) => h.name === host)) lines.push(`${host} is not in onedeck.yaml (the add stopped before writing it)`);
      return { kind: 'remove', hosts: [host], steps, lines };
    },
    async rollback(session, id, p) {
      writable(session);
      await notLocked();
      const s = get(id);
      if (s.state !== 'abandoned') abandonOperation(o.stateDir, id);
      return svc.start(session, { ...p, lines: [...p.lines, `rollback of ${id}`] });
    },
  };
  return svc;
}
