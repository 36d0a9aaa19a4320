// One sweep: tofu inventory, then Scaleway, OpenNebula and every host's probe in parallel, each
// bounded by its own timeout so a slow source never holds up the others; then the join. The
// Sweeper remembers the last good read of each source (shown with its old `at`) and the SSH pool.
import pLimit from 'p-limit';
import type { Config } from '../config/schema.js';
import type { ClusterDrift, HostRow, ProbeView } from '../domain/host.js';
import type { InventoryOutput } from '../domain/inventory.js';
import { describeError, OnedeckError } from '../errors.js';
import { readOpenNebula, type OpenNebulaData } from '../adapters/opennebula/client.js';
import { resolveScalewayCredentials, scwConfigCandidates, type ScalewayCredentials } from '../adapters/scaleway/credentials.js';
import { fileMemo } from '../config/file-memo.js';
import { secretSources } from '../config/secrets.js';
import type { Masker } from '../jobs/mask.js';
import type { ScalewayData } from '../adapters/scaleway/servers.js';
import { SshPool, type SshEndpoint } from '../adapters/ssh/connection-pool.js';
import { joinCluster } from './join.js';
import { probeHost } from './probe.js';
import { readRepoHooks } from './repo-hooks.js';
import { sshTargets } from './targets.js';
import { readInventory } from '../adapters/tofu/outputs.js';
import { exitCodeFor } from './verdict.js';
import { maskDeep, secretsMasker } from './mask-result.js';
import { scalewayAccess, sshAccess, type CredentialAccess, type KeyReading } from '../domain/credential-access.js';

// the Scaleway SDK (and node's fetch, undici, under it) loads with the first sweep that reads the
// API, so the UI's first frame does not wait for it (esbuild evaluates a module reached only by
// import() when that import runs)
let scalewayApi: Promise<typeof import('../adapters/scaleway/client.js') & typeof import('../adapters/scaleway/servers.js') & typeof import('../adapters/scaleway/key-access.js')> | undefined;
const loadScalewayApi = () =>
  (scalewayApi ??= Promise.all([import('../adapters/scaleway/client.js'), import('../adapters/scaleway/servers.js'), import('../adapters/scaleway/key-access.js')]).then(([c, s, k]) => ({ ...c, ...s, ...k })));

export interface SweepDeps {
  clock?: () => number;
  pool?: SshPool;
  inventory?: () => Promise<InventoryOutput | undefined>;
  scaleway?: () => Promise<ScalewayData>;
  opennebula?: (frontend: SshEndpoint) => Promise<OpenNebulaData>;
  probe?: (hostKey: string, ep: SshEndpoint, previous?: ProbeView) => Promise<ProbeView>;
  repoHooks?: () => Record<string, string>;
  /** what IAM says the Scaleway key may do (read with the key) */
  keyAccess?: () => Promise<KeyReading>;
  /** how often IAM is asked again (default 10 minutes; the first sweep always asks) */
  keyAccessEveryMs?: number;
  /** bound of a whole source (Scaleway's paging, OpenNebula's two commands) */
  sourceTimeoutMs?: number;
}

export interface SweepResult {
  rows: HostRow[];
  drift: ClusterDrift[];
  sourceErrors: Record<string, string>;
  /** what the credentials leave out (the Scaleway key's IAM permissions, the SSH user's sudo) */
  access: CredentialAccess;
  refreshedAt: number;
  exitCode: 0 | 1 | 2;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new OnedeckError(`${what} did not answer within ${Math.round(ms / 1000)}s.`, { hint: 'onedeck tries again at the next refresh.' })), ms);
    t.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/** One line for the operator: the message and its hint. */
const oneLine = (err: unknown) => describeError(err).replace(/\n/g, ' ');

export class Sweeper {
  readonly pool: SshPool;
  private readonly ownPool: boolean;
  private lastScaleway?: ScalewayData;
  private lastOne?: OpenNebulaData;
  private lastInventory?: InventoryOutput;
  private keyReading?: { reading: KeyReading; at: number };
  private recheck = false;
  private readonly probes = new Map<string, ProbeView>();
  private readonly seen = new Map<string, { sig: string; since?: number }>();
  private readonly credsMemo = fileMemo<ScalewayCredentials>();
  private readonly maskMemo = fileMemo<Masker>();

  constructor(private readonly config: Config, private readonly deps: SweepDeps = {}) {
    this.ownPool = !deps.pool;
    this.pool =
      deps.pool ??
      new SshPool({
        user: config.ssh.user,
        key: config.ssh.key,
        knownHosts: config.ssh.known_hosts,
        configFile: config.ssh.config_file,
        timeoutMs: config.ssh.timeout_seconds * 1000,
      });
  }

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  async sweep(): Promise<SweepResult> {
    const c = this.config;
    const sourceErrors: Record<string, string> = {};
    const sourceTimeout = this.deps.sourceTimeoutMs ?? Math.max(30_000, c.ssh.timeout_seconds * 3000);

    let inventory: InventoryOutput | undefined;
    try {
      inventory = await withTimeout((this.deps.inventory ?? (() => readInventory(c)))(), sourceTimeout, 'reading the tofu outputs');
      this.lastInventory = inventory;
    } catch (err) {
      sourceErrors.tofu = oneLine(err);
      // the hosts keep their last known addresses (and their probes) while the outputs cannot be read
      inventory = this.lastInventory;
    }
    const targets = sshTargets(c, inventory);
    let repoHooks: Record<string, string> = {};
    try {
      repoHooks = (this.deps.repoHooks ?? (() => readRepoHooks(c.paths.hooks)))();
    } catch (err) {
      sourceErrors.hooks = `cannot read ${c.paths.hooks}: ${(err as Error).message}`;
    }

    // a read given up on is aborted, so its retries do not pile up under the next sweeps' reads
    const scwAbort = new AbortController();
    const scaleway = withTimeout((this.deps.scaleway ?? (() => this.readScaleway(scwAbort.signal)))(), sourceTimeout, 'the Scaleway API').then(
      (d) => {
        this.lastScaleway = d;
        if (d.warnings.length) sourceErrors['scaleway-partial'] = d.warnings.join(' ');
      },
      (err) => {
        scwAbort.abort();
        sourceErrors.scaleway = oneLine(err);
      },
    );
    const fe = targets[c.frontend.name]?.endpoint;
    const opennebula = (
      fe
        ? withTimeout((this.deps.opennebula ?? ((ep) => this.readOpenNebula(ep)))(fe), sourceTimeout, 'OpenNebula on the frontend')
        : Promise.reject(new OnedeckError(`no address for the frontend ${c.frontend.name}: run plan/apply first, or set frontend.ssh in onedeck.yaml.`))
    ).then(
      (d) => {
        this.lastOne = d;
      },
      (err) => {
        sourceErrors.opennebula = oneLine(err);
      },
    );
    const limit = pLimit(c.ssh.concurrency);
    const probe = this.deps.probe ?? ((_k: string, ep: SshEndpoint, previous?: ProbeView) => probeHost(this.pool, ep, { repoHooks, previous, now: () => this.now() }));
    const probes = Object.entries(targets).map(([key, t]) =>
      t.endpoint
        ? limit(() => probe(key, t.endpoint!, this.probes.get(key))).then((v) => {
            this.probes.set(key, v);
          })
        : Promise.resolve(this.probes.delete(key)),
    );
    await Promise.all([scaleway, opennebula, this.readKeyAccessDue(sourceTimeout), ...probes]);

    const now = this.now();
    const scw = this.lastScaleway && { ...this.lastScaleway, servers: this.lastScaleway.servers.map((s) => ({ ...s, ...this.since(`scw:${s.serverId}`, `${s.status}/${s.installStatus}`, now, 'statusSince') })) };
    const one = this.lastOne && { ...this.lastOne, hosts: this.lastOne.hosts.map((h) => ({ ...h, ...this.since(`one:${h.id}`, String(h.state), now, 'stateSince') })) };
    const { rows, drift } = joinCluster({
      config: c,
      inventory,
      inventoryError: sourceErrors.tofu,
      scaleway: scw,
      scalewayError: sourceErrors.scaleway,
      opennebula: one,
      opennebulaError: sourceErrors.opennebula,
      probes: Object.fromEntries(this.probes),
      sshTargets: Object.fromEntries(Object.entries(targets).map(([k, t]) => [k, t.display])),
      repoHasHooks: Object.keys(repoHooks).length > 0,
      now,
    });
    // what the credentials leave out: the key's IAM reading, and sudo as the reachable hosts' probes said it
    const access: CredentialAccess = {
      ssh: sshAccess(c.ssh.user, Object.fromEntries([...this.probes].filter(([, p]) => p.reachable).map(([k, p]) => [k, p.become]))),
    };
    if (this.keyReading) access.scaleway = scalewayAccess(this.keyReading.reading, c.scaleway.project_id);
    // a source's error or a probe may quote a secret it was given: none leaves the sweep
    const mask = this.masker();
    const safe = maskDeep({ rows, drift, sourceErrors, access }, mask);
    return { ...safe, refreshedAt: now, exitCode: exitCodeFor(rows, drift.length, Object.keys(sourceErrors).length) };
  }

  /** the next sweep asks IAM again (its last answer stays until the new one comes) */
  recheckCredentials(): void {
    this.recheck = true;
  }

  /** Ask IAM what the key may do, on the first sweep and then every keyAccessEveryMs; a failed
   * read keeps the last answer (and says nothing new: the Scaleway source reports the cause). */
  private async readKeyAccessDue(timeoutMs: number): Promise<void> {
    // a sweep whose Scaleway read is stubbed (tests) asks IAM only through a stub of its own
    if (this.deps.scaleway && !this.deps.keyAccess) return;
    const now = this.now();
    if (this.keyReading && !this.recheck && now - this.keyReading.at < (this.deps.keyAccessEveryMs ?? 600_000)) return;
    this.recheck = false;
    const abort = new AbortController();
    const read =
      this.deps.keyAccess ??
      (async () => {
        const creds = this.credentials();
        const { readKeyAccess, createScalewayClient, DEFAULT_HTTP_POLICY } = await loadScalewayApi();
        return readKeyAccess(createScalewayClient(creds, { ...DEFAULT_HTTP_POLICY, signal: abort.signal }), creds.profile.accessKey);
      });
    try {
      this.keyReading = { reading: await withTimeout(read(), timeoutMs, 'the Scaleway IAM API'), at: now };
    } catch {
      abort.abort();
    }
  }

  /** Since when the value `sig` has been seen; unknown (undefined) until a change is observed. */
  private since<K extends string>(key: string, sig: string, now: number, field: K): Partial<Record<K, number>> {
    const prev = this.seen.get(key);
    if (!prev) this.seen.set(key, { sig });
    else if (prev.sig !== sig) this.seen.set(key, { sig, since: now });
    const since = this.seen.get(key)!.since;
    return since === undefined ? {} : ({ [field]: since } as Partial<Record<K, number>>);
  }

  /** the environment, which the credentials and the secrets are partly read from (a few KB, once a sweep) */
  private envKey(): string {
    return Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`).join('\0');
  }

  /** the Scaleway credentials, parsed again only when their file or the variables changed */
  private credentials(): ScalewayCredentials {
    return this.credsMemo(scwConfigCandidates(this.config), this.envKey(), () => resolveScalewayCredentials(this.config));
  }

  /** the masker of every known secret, made again only when a file they come from or a variable changed */
  private masker(): Masker {
    const files = [...scwConfigCandidates(this.config), ...secretSources(this.config).flatMap((s) => (s.file ? [s.file] : []))];
    return this.maskMemo(files, this.envKey(), () => secretsMasker(this.config));
  }

  private async readScaleway(signal?: AbortSignal): Promise<ScalewayData> {
    const creds = this.credentials();
    const { createScalewayClient, readScaleway, DEFAULT_HTTP_POLICY } = await loadScalewayApi();
    const client = createScalewayClient(creds, { ...DEFAULT_HTTP_POLICY, signal });
    return readScaleway(client, {
      zone: this.config.scaleway.zone,
      region: this.config.scaleway.region,
      projectId: this.config.scaleway.project_id,
      attempts: DEFAULT_HTTP_POLICY.retries + 1,
      now: () => this.now(),
    });
  }

  private readOpenNebula(fe: SshEndpoint): Promise<OpenNebulaData> {
    return readOpenNebula(
      async (cmd) => {
        const r = await this.pool.exec(fe, cmd, { timeoutMs: Math.max(10_000, this.config.ssh.timeout_seconds * 2000) });
        return { stdout: r.stdout, stderr: r.stderr, code: r.code };
      },
      { commandPrefix: this.config.opennebula.command_prefix, staleAfterSeconds: this.config.opennebula.stale_after_seconds, now: () => this.now() },
    );
  }

  async close(): Promise<void> {
    if (this.ownPool) await this.pool.close();
  }
}
