// What the credentials onedeck runs with let it do, and which features they leave out: the
// Scaleway key's IAM permission sets (read with the key itself, src/adapters/scaleway/key-access.ts)
// and whether the SSH user may become root without a password (the probe's `become` line).
// Pure: the sweep computes it, the cluster store holds it, disabled reasons and views read it.

/** One permission set of one IAM rule, with the rule's scope. */
export interface PermissionGrant {
  set: string;
  /** the rule's project ids (scope `projects`), or its organization (scope `organization`) */
  projectIds?: string[];
  organizationId?: string;
}

/** What IAM said about the key (the adapter's reading). */
export type KeyReading =
  | { determined: true; bearer: string; organizationId?: string; owner?: boolean; grants: PermissionGrant[] }
  | { determined: false; reason: string };

/** The features a credential can leave out (ids of actions, and the health sweep's reading). */
export type Feature = 'monitor' | 'plan' | 'apply' | 'add' | 'remove' | 'deploy' | 'network' | 'hooks' | 'validate';

export const FEATURE_WORDS: Record<Feature, string> = {
  monitor: 'the Scaleway columns of the health view',
  plan: 'plan',
  apply: 'apply',
  add: 'add',
  remove: 'remove',
  deploy: 'OneDeploy',
  network: 'network',
  hooks: 'hooks',
  validate: 'validation',
};

export interface ScalewayAccess {
  /** false: IAM could not be read with this key; nothing is left out up front */
  determined: boolean;
  /** "application 1f2e…" / "user 9a8b…" (ids, never a key) */
  bearer?: string;
  /** products the key may read / write in the project */
  read: string[];
  write: string[];
  leftOut: Feature[];
  /** the permission sets each left-out group of features needs */
  needs: string[];
  /** one line for the operator (a disabled reason, a notice) */
  summary: string;
  /** the summary with whose key it is and on which project (status, doctor) */
  detail: string;
}

export interface SshAccess {
  user: string;
  /** hosts whose probe ran and said the user may not become root (sudo -n) */
  noSudo: string[];
  /** hosts whose probe said whether it may */
  checked: string[];
  leftOut: Feature[];
  summary?: string;
}

export interface CredentialAccess {
  scaleway?: ScalewayAccess;
  ssh?: SshAccess;
}

/** The products onedeck's Terraform and health sweep touch, and the permission sets that grant them. */
const PRODUCTS: Record<string, { read: string[]; write: string[] }> = {
  'Elastic Metal': { read: ['ElasticMetalReadOnly'], write: ['ElasticMetalFullAccess'] },
  VPC: { read: ['VPCReadOnly'], write: ['VPCFullAccess'] },
  'Private Networks': { read: ['PrivateNetworksReadOnly', 'VPCReadOnly'], write: ['PrivateNetworksFullAccess', 'VPCFullAccess'] },
  IPAM: { read: ['IPAMReadOnly'], write: ['IPAMFullAccess'] },
  'SSH keys': { read: ['SSHKeysReadOnly'], write: ['SSHKeysFullAccess'] },
};
const ALL_READ = ['AllProductsReadOnly'];
const ALL_WRITE = ['AllProductsFullAccess'];

/** what each feature needs: reads of products, or writes of products */
const FEATURE_NEEDS: { features: Feature[]; mode: 'read' | 'write'; products: string[] }[] = [
  { features: ['monitor'], mode: 'read', products: ['Elastic Metal', 'IPAM'] },
  { features: ['plan'], mode: 'read', products: ['Elastic Metal', 'VPC', 'Private Networks', 'IPAM', 'SSH keys'] },
  { features: ['apply', 'add', 'remove'], mode: 'write', products: ['Elastic Metal', 'VPC', 'Private Networks', 'IPAM', 'SSH keys'] },
];

/** The features that need root on the hosts (Ansible's become: sudo without a password). */
export const BECOME_FEATURES: Feature[] = ['deploy', 'network', 'hooks', 'validate', 'add', 'remove'];

function appliesTo(g: PermissionGrant, projectId: string, organizationId: string | undefined): boolean {
  if (g.projectIds) return g.projectIds.includes(projectId);
  // an organization-wide rule counts for every project of the organization
  if (g.organizationId) return organizationId === undefined || g.organizationId === organizationId;
  return false;
}

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** Which features a key's permission sets, on this project, leave out. */
export function scalewayAccess(reading: KeyReading, projectId: string): ScalewayAccess {
  if (!reading.determined) {
    return {
      determined: false,
      read: [],
      write: [],
      leftOut: [],
      needs: [],
      summary: `Scaleway key permissions could not be determined (${reading.reason}): a refused write is reported when it happens`,
      detail: `Scaleway key permissions could not be determined (${reading.reason}): a refused write is reported when it happens`,
    };
  }
  const sets = new Set(reading.owner ? ALL_WRITE : reading.grants.filter((g) => appliesTo(g, projectId, reading.organizationId)).map((g) => g.set));
  const may = (mode: 'read' | 'write', product: string) => {
    const p = PRODUCTS[product];
    const grants = mode === 'write' ? [...ALL_WRITE, ...p.write] : [...ALL_READ, ...ALL_WRITE, ...p.read, ...p.write];
    return grants.some((s) => sets.has(s));
  };
  const names = Object.keys(PRODUCTS);
  const read = names.filter((p) => may('read', p));
  const write = names.filter((p) => may('write', p));
  const leftOut: Feature[] = [];
  const needs: string[] = [];
  for (const n of FEATURE_NEEDS) {
    const lacking = n.products.filter((p) => !may(n.mode, p));
    if (!lacking.length) continue;
    leftOut.push(...n.features.filter((f) => !leftOut.includes(f)));
    for (const p of lacking) {
      const s = n.mode === 'write' ? PRODUCTS[p].write[0] : PRODUCTS[p].read[0];
      if (!needs.includes(s)) needs.push(s);
    }
  }
  const kind = write.length === 0 && read.length > 0 ? 'read-only' : leftOut.length ? 'limited' : 'full';
  const summary =
    leftOut.length === 0
      ? 'Scaleway key may read and change everything onedeck uses in this project'
      : `Scaleway key is ${kind}: ${list(leftOut.map((f) => FEATURE_WORDS[f]))} left out (it needs ${needs.join(', ')})`;
  const detail = `${summary}; the key of ${reading.bearer}, on project ${projectId}`;
  return { determined: true, bearer: reading.bearer, read, write, leftOut, needs, summary, detail };
}

/** The SSH user's access from the probes (host → may become root, undefined when not said). */
export function sshAccess(user: string, become: Record<string, boolean | undefined>): SshAccess {
  const checked = Object.keys(become).filter((h) => become[h] !== undefined).sort();
  const noSudo = checked.filter((h) => become[h] === false);
  // left out up front only when no probed host lets the user sudo: one host's broken sudoers
  // does not stop a deploy to the others (its job fails there and says so)
  const all = checked.length > 0 && noSudo.length === checked.length;
  const leftOut = all ? [...BECOME_FEATURES] : [];
  const a: SshAccess = { user, noSudo, checked, leftOut };
  if (all) a.summary = `SSH user ${user} has no passwordless sudo on ${noSudo.length === 1 ? noSudo[0] : `any host (${noSudo.length})`}: ${list(leftOut.map((f) => FEATURE_WORDS[f]))} left out`;
  else if (noSudo.length) a.summary = `SSH user ${user} has no passwordless sudo on ${list(noSudo)}: OneDeploy, network, hooks and validation fail there`;
  // the fix, for whoever reads on
  if (a.summary && all) a.summary += ' (give it passwordless sudo, or set ssh.user)';
  return a;
}

/** Why a feature is left out by the credentials (a disabled reason), or undefined. */
export function leftOutReason(access: CredentialAccess | undefined, feature: Feature): string | undefined {
  if (access?.scaleway?.leftOut.includes(feature)) return access.scaleway.summary;
  if (access?.ssh?.leftOut.includes(feature)) return access.ssh.summary;
  return undefined;
}

/** The lines the header, `:info`, status and doctor show: what the credentials leave out. */
export function accessLines(access: CredentialAccess | undefined, long = true): string[] {
  const out: string[] = [];
  const s = access?.scaleway;
  if (s && (!s.determined || s.leftOut.length)) out.push(long ? s.detail : s.summary);
  if (access?.ssh?.summary) out.push(access.ssh.summary);
  return out;
}
