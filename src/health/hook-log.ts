// Streams a host's Flexible-IP hook logs (`tail -F /var/log/vnm/scw-flexip-*.log`) over SSH, and
// the service the hook-log view uses to open and close such streams into the LogHub.
import type { Config } from '../config/schema.js';
import type { LogHub } from '../logs/log-hub.js';
import { hookLogId } from '../logs/log-id.js';
import { SshPool } from '../adapters/ssh/connection-pool.js';
import { shQuote } from '../adapters/ssh/probe-script.js';
import { OnedeckError, describeError } from '../errors.js';
import { sshTargets } from './targets.js';
import { readInventory } from '../adapters/tofu/outputs.js';

const TAIL = 'set -- /var/log/vnm/scw-flexip-*.log; [ -e "$1" ] || set -- /var/log/vnm/scw-flexip-attach.log /var/log/vnm/scw-flexip-detach.log; exec tail -n 200 -F "$@" 2>&1';

/** The remote command: as root when the user is root or may `sudo -n` (the logs are oneadmin's). */
export function hookLogCommand(): string {
  return `if [ "$(id -u)" != 0 ] && sudo -n true 2>/dev/null; then exec sudo -n sh -c ${shQuote(TAIL)}; else exec sh -c ${shQuote(TAIL)}; fi`;
}

function newPool(config: Config): SshPool {
  return new SshPool({
    user: config.ssh.user,
    key: config.ssh.key,
    knownHosts: config.ssh.known_hosts,
    configFile: config.ssh.config_file,
    timeoutMs: config.ssh.timeout_seconds * 1000,
  });
}

/** Follow the hook logs of `hostKey` until `signal` aborts; each line goes to `onLine`. */
export async function tailHookLog(
  config: Config,
  hostKey: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
  deps: { pool?: SshPool } = {},
): Promise<void> {
  const known = [config.frontend.name, ...config.hypervisors.map((h) => h.name)];
  if (!known.includes(hostKey)) {
    throw new OnedeckError(`no host named ${hostKey} in onedeck.yaml.`, { hint: `Known hosts: ${known.join(', ')}.` });
  }
  const target = sshTargets(config, await readInventory(config).catch(() => undefined))[hostKey];
  if (!target?.endpoint) {
    throw new OnedeckError(`no address for ${hostKey}: run plan/apply first, or set its ssh: in onedeck.yaml.`);
  }
  const pool = deps.pool ?? newPool(config);
  try {
    await pool.stream(target.endpoint, hookLogCommand(), onLine, signal);
  } finally {
    if (!deps.pool) await pool.close();
  }
}

/** The `hookLog` service of Services: each open() tails into its own LogHub buffer. */
export function createHookLogService(config: Config, logHub: LogHub, deps: { pool?: SshPool } = {}) {
  const running = new Map<string, AbortController>();
  let seq = 0;
  return {
    /** `id`: the log id to tail into (the log registry names it); default a new one */
    async open(hostKey: string, id = hookLogId(hostKey, ++seq)): Promise<string> {
      const ac = new AbortController();
      running.set(id, ac);
      logHub.append(id, `following /var/log/vnm/scw-flexip-*.log on ${hostKey}…`);
      void tailHookLog(config, hostKey, (line) => logHub.append(id, line), ac.signal, deps)
        .then(() => {
          if (!ac.signal.aborted) logHub.append(id, `the log stream of ${hostKey} ended.`, true);
        })
        .catch((err) => logHub.append(id, describeError(err).replace(/\n/g, ' '), true))
        .finally(() => {
          running.delete(id);
          logHub.flush();
        });
      return id;
    },
    close(id: string): void {
      running.get(id)?.abort();
      running.delete(id);
    },
  };
}
