// The sandbox key's IAM: the key belongs to an application, which is in a group; the
// application's own policy lets it read IAM (unless the knob says otherwise), the group's policy
// grants the cluster's products on the sandbox project, in full or read-only
// (`onedeck sandbox knob key-access full|readonly|full-no-iam|readonly-no-iam`). The IAM read
// routes answer as Scaleway's v1alpha1 API does (shapes, filters, pagination), and every request
// is authorised against the same rules: a write the key may not do is a 403 permissions_denied.
import { createHash } from 'node:crypto';
import type { SandboxState } from '../state-types.js';
import { multi, notFound, paginate, sendJson, invalidArgument, type Route } from './http.js';

export const KEY_ACCESS = ['full', 'readonly', 'full-no-iam', 'readonly-no-iam'] as const;
export type KeyAccessMode = (typeof KEY_ACCESS)[number];

const CREATED = '2026-01-05T09:00:00.000Z';
const UUID = '([0-9a-f-]{36})';

/** A uuid that stays the same for the same sandbox (derived from its access key). */
function stableId(s: Pick<SandboxState, 'accessKey'>, what: string): string {
  const h = createHash('sha256').update(`${s.accessKey}:${what}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const modeOf = (s: SandboxState): KeyAccessMode => (s.knobs?.keyAccess as KeyAccessMode | undefined) ?? 'full';

interface Model {
  app: Record<string, unknown> & { id: string };
  group: Record<string, unknown> & { id: string; application_ids: string[]; user_ids: string[] };
  policies: (Record<string, unknown> & { id: string; application_id?: string; group_id?: string })[];
  rules: Map<string, Record<string, unknown>[]>;
}

const PRODUCT_SETS = {
  full: ['ElasticMetalFullAccess', 'VPCFullAccess', 'PrivateNetworksFullAccess', 'IPAMFullAccess', 'SSHKeysFullAccess'],
  readonly: ['ElasticMetalReadOnly', 'VPCReadOnly', 'PrivateNetworksReadOnly', 'IPAMReadOnly', 'SSHKeysReadOnly'],
};

function model(s: SandboxState): Model {
  const mode = modeOf(s);
  const org = s.organizationId;
  const common = { organization_id: org, created_at: CREATED, updated_at: CREATED, editable: true, deletable: true, managed: false, tags: [] as string[] };
  const app = { ...common, id: stableId(s, 'application'), name: 'onedeck-sandbox', description: 'the sandbox cluster\'s API key', nb_api_keys: 1 };
  const group = { ...common, id: stableId(s, 'group'), name: 'onedeck-sandbox-operators', description: '', user_ids: [] as string[], application_ids: [app.id] };
  const rules = new Map<string, Record<string, unknown>[]>();
  const policies: Model['policies'] = [];
  const policy = (name: string, principal: { application_id?: string; group_id?: string }, rs: Record<string, unknown>[]) => {
    const id = stableId(s, `policy:${name}`);
    const sets = rs.reduce((n, r) => n + (r.permission_set_names as string[]).length, 0);
    policies.push({ ...common, id, name, description: '', nb_rules: rs.length, nb_scopes: rs.length, nb_permission_sets: sets, ...principal });
    rules.set(id, rs.map((r, i) => ({ id: stableId(s, `rule:${name}:${i}`), condition: '', ...r })));
  };
  if (!mode.endsWith('-no-iam')) {
    policy('onedeck-sandbox-iam-read', { application_id: app.id }, [{ permission_set_names: ['IAMReadOnly'], permission_sets_scope_type: 'organization', organization_id: org }]);
  }
  policy('onedeck-sandbox-cluster', { group_id: group.id }, [
    { permission_set_names: mode.startsWith('readonly') ? PRODUCT_SETS.readonly : PRODUCT_SETS.full, permission_sets_scope_type: 'projects', project_ids: [s.projectId] },
  ]);
  return { app, group, policies, rules };
}

/** The permission sets the key holds on the sandbox project (project rules and organization rules). */
function setsOf(s: SandboxState): Set<string> {
  const m = model(s);
  const out = new Set<string>();
  for (const rs of m.rules.values()) {
    for (const r of rs) {
      const onProject = (r.project_ids as string[] | undefined)?.includes(s.projectId) || r.organization_id === s.organizationId;
      if (onProject) for (const n of r.permission_set_names as string[]) out.add(n);
    }
  }
  return out;
}

/** Which permission sets allow a request: [read sets, write sets] by path. */
function setsFor(path: string): { read: string[]; write: string[]; allProducts: boolean } | null {
  if (/^\/iam\/v1alpha1\/ssh-keys/.test(path)) return { read: ['SSHKeysReadOnly', 'SSHKeysFullAccess'], write: ['SSHKeysFullAccess'], allProducts: true };
  if (/^\/iam\//.test(path)) return { read: ['IAMReadOnly', 'IAMManager'], write: ['IAMManager'], allProducts: false };
  if (/^\/(baremetal|flexible-ip)\//.test(path)) return { read: ['ElasticMetalReadOnly', 'ElasticMetalFullAccess'], write: ['ElasticMetalFullAccess'], allProducts: true };
  if (/^\/vpc\/v2\/regions\/[^/]+\/private-networks/.test(path)) {
    return { read: ['PrivateNetworksReadOnly', 'PrivateNetworksFullAccess', 'VPCReadOnly', 'VPCFullAccess'], write: ['PrivateNetworksFullAccess', 'VPCFullAccess'], allProducts: true };
  }
  if (/^\/vpc\//.test(path)) return { read: ['VPCReadOnly', 'VPCFullAccess'], write: ['VPCFullAccess'], allProducts: true };
  if (/^\/ipam\//.test(path)) return { read: ['IPAMReadOnly', 'IPAMFullAccess'], write: ['IPAMFullAccess'], allProducts: true };
  return null;
}

/** null when the key may make the request, else the 403 body Scaleway sends. */
export function refusal(s: SandboxState, method: string, path: string): Record<string, unknown> | null {
  const need = setsFor(path);
  if (!need) return null;
  const write = method !== 'GET' && method !== 'HEAD';
  const sets = setsOf(s);
  const all = need.allProducts ? (write ? ['AllProductsFullAccess'] : ['AllProductsReadOnly', 'AllProductsFullAccess']) : [];
  if ([...(write ? need.write : need.read), ...all].some((n) => sets.has(n))) return null;
  const resource = path.split('/').filter((p) => p && !/^[0-9a-f-]{36}$/.test(p) && !/^SCW[A-Z0-9]{17}$/.test(p)).pop() ?? 'resource';
  return { type: 'permissions_denied', message: 'insufficient permissions', details: [{ resource: resource.replace(/-/g, '_'), action: write ? 'write' : 'read' }] };
}

/** list requests of IAM take the organization, as the real API wants it */
function needOrg(q: URLSearchParams, res: Parameters<Route['handle']>[0]['res']): boolean {
  if (q.get('organization_id')) return true;
  invalidArgument(res, 'organization_id', 'required', 'organization_id is required');
  return false;
}

export const iamAccessRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/iam\/v1alpha1\/api-keys\/([A-Z0-9]{20})$/,
    handle({ res, store, params }) {
      const s = store.get();
      if (params[0] !== s.accessKey) return notFound(res, 'api_key', params[0]);
      sendJson(res, 200, {
        access_key: s.accessKey,
        secret_key: null,
        application_id: model(s).app.id,
        description: 'onedeck sandbox',
        created_at: CREATED,
        updated_at: CREATED,
        expires_at: null,
        default_project_id: s.projectId,
        editable: true,
        deletable: true,
        managed: false,
        creation_ip: '',
      });
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^/iam/v1alpha1/applications/${UUID}$`),
    handle({ res, store, params }) {
      const app = model(store.get()).app;
      if (params[0] !== app.id) return notFound(res, 'application', params[0]);
      sendJson(res, 200, app);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^/iam/v1alpha1/users/${UUID}$`),
    handle({ res, params }) {
      notFound(res, 'user', params[0]);
    },
  },
  {
    method: 'GET',
    path: /^\/iam\/v1alpha1\/groups$/,
    handle({ res, store, query }) {
      if (!needOrg(query, res)) return;
      const s = store.get();
      const g = model(s).group;
      const apps = multi(query, 'application_ids');
      const users = multi(query, 'user_ids');
      const ids = multi(query, 'group_ids');
      const keep = query.get('organization_id') === s.organizationId && (!apps.length || apps.some((a) => g.application_ids.includes(a))) && (!users.length || users.some((u) => g.user_ids.includes(u))) && (!ids.length || ids.includes(g.id));
      const { page, total } = paginate(keep ? [g] : [], query);
      sendJson(res, 200, { groups: page, total_count: total });
    },
  },
  {
    method: 'GET',
    path: /^\/iam\/v1alpha1\/policies$/,
    handle({ res, store, query }) {
      if (!needOrg(query, res)) return;
      const s = store.get();
      const apps = multi(query, 'application_ids');
      const groups = multi(query, 'group_ids');
      const users = multi(query, 'user_ids');
      const ids = multi(query, 'policy_ids');
      const items = query.get('organization_id') !== s.organizationId
        ? []
        : model(s).policies.filter(
            (p) =>
              (!apps.length || apps.includes(p.application_id ?? '')) &&
              (!groups.length || groups.includes(p.group_id ?? '')) &&
              !users.length && // every policy here names an application or a group

              (!ids.length || ids.includes(p.id)),
          );
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { policies: page, total_count: total });
    },
  },
  {
    method: 'GET',
    path: /^\/iam\/v1alpha1\/rules$/,
    handle({ res, store, query }) {
      const id = query.get('policy_id') ?? '';
      if (!id) return invalidArgument(res, 'policy_id', 'required', 'policy_id is required');
      const rs = model(store.get()).rules.get(id);
      if (!rs) return notFound(res, 'policy', id);
      const { page, total } = paginate(rs, query);
      sendJson(res, 200, { rules: page, total_count: total });
    },
  },
];
