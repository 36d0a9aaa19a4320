// The tfplugin6 Provider service: schemas, configure, validate, upgrade, plan, apply, read.
// Every failure goes back as a diagnostic, as a real provider's does.
import { baremetalOffer, baremetalOption, baremetalOs } from './data-sources.js';
import { planChange, resolveUnknowns, type PathStep } from './plan.js';
import type { Msg } from './proto.js';
import { baremetalServer } from './resource-server.js';
import { flexibleIp, flexibleIpMac } from './resources-fip.js';
import { iamSshKey, ipamIp, privateNetwork, vpc } from './resources-network.js';
import { schemaToProto, shape, str, type Block } from './schema.js';
import { loadCreds, ScwHttpError, scwClient } from './scw-http.js';
import { refreshState, upgradeState } from './state-read.js';
import { PartialCreateError, ProviderError, type DataSourceImpl, type ProviderCtx, type ResourceImpl } from './types.js';
import { dynamic, fromDynamic, type Obj } from './values.js';

export const RESOURCES: Record<string, ResourceImpl> = {
  scaleway_baremetal_server: baremetalServer,
  scaleway_flexible_ip: flexibleIp,
  scaleway_flexible_ip_mac_address: flexibleIpMac,
  scaleway_iam_ssh_key: iamSshKey,
  scaleway_ipam_ip: ipamIp,
  scaleway_vpc: vpc,
  scaleway_vpc_private_network: privateNetwork,
};

export const DATA_SOURCES: Record<string, DataSourceImpl> = {
  scaleway_baremetal_offer: baremetalOffer,
  scaleway_baremetal_option: baremetalOption,
  scaleway_baremetal_os: baremetalOs,
};

export const PROVIDER_SCHEMA: Block = {
  attributes: {
    access_key: str({ optional: true, description: 'The Scaleway access key.' }),
    secret_key: str({ optional: true, sensitive: true, description: 'The Scaleway secret Key.' }),
    profile: str({ optional: true, description: 'The Scaleway profile to use.' }),
    project_id: str({ optional: true, description: 'The Scaleway project ID.' }),
    organization_id: str({ optional: true, description: 'The Scaleway organization ID.' }),
    region: str({ optional: true, description: 'The region you want to attach the resource to' }),
    zone: str({ optional: true, description: 'The zone you want to attach the resource to' }),
    api_url: str({ optional: true, description: 'The Scaleway API URL to use.' }),
  },
};

type Diag = { severity: number; summary: string; detail: string; attribute?: { steps: PathStep[] } };

function diagOf(err: unknown): Diag {
  if (err instanceof ProviderError) return { severity: 1, summary: err.message, detail: err.detail, ...(err.attribute ? { attribute: { steps: [{ attribute_name: err.attribute }] } } : {}) };
  if (err instanceof ScwHttpError) return { severity: 1, summary: err.message.replace(/ \((GET|POST|PUT|PATCH|DELETE) [^)]*\)$/, ''), detail: '' };
  return { severity: 1, summary: (err as Error).message ?? String(err), detail: '' };
}

export function createProviderService(env: NodeJS.ProcessEnv = process.env) {
  let ctx: ProviderCtx | null = null;
  const stop = new AbortController();
  const need = (): ProviderCtx => {
    if (!ctx) throw new ProviderError('the provider is not configured');
    return ctx;
  };
  const res = (name: string): ResourceImpl => {
    const r = RESOURCES[name];
    if (!r) throw new ProviderError(`unknown resource type ${name}`);
    return r;
  };

  const schemas = () => ({
    provider: schemaToProto(PROVIDER_SCHEMA),
    resource_schemas: Object.fromEntries(Object.entries(RESOURCES).map(([k, r]) => [k, schemaToProto(r.schema)])),
    data_source_schemas: Object.fromEntries(Object.entries(DATA_SOURCES).map(([k, d]) => [k, schemaToProto(d.schema)])),
    provider_meta: schemaToProto({ attributes: {} }),
    server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
    diagnostics: [],
  });

  const handlers: Record<string, (req: Msg) => Promise<Msg> | Msg> = {
    GetMetadata: () => ({
      server_capabilities: { get_provider_schema_optional: false },
      resources: Object.keys(RESOURCES).map((type_name) => ({ type_name })),
      data_sources: Object.keys(DATA_SOURCES).map((type_name) => ({ type_name })),
    }),
    GetProviderSchema: schemas,
    ValidateProviderConfig: () => ({ diagnostics: [] }),
    ValidateResourceConfig: (req) => {
      res(req.type_name);
      return { diagnostics: [] };
    },
    ValidateDataResourceConfig: () => ({ diagnostics: [] }),
    ConfigureProvider(req) {
      const c = (fromDynamic(req.config) as Obj | null) ?? {};
      const creds = loadCreds(env);
      const secretKey = String(c.secret_key ?? '') || creds?.secretKey;
      if (!secretKey) {
        return { diagnostics: [{ severity: 1, summary: 'scaleway-sdk-go: secret key is required', detail: 'Set SCW_SECRET_KEY (and SCW_ACCESS_KEY), or configure a profile in the scw config file.' }] };
      }
      const apiUrl = String(c.api_url ?? '') || creds?.apiUrl || 'https://api.scaleway.com';
      const zone = String(c.zone ?? '') || creds?.zone || 'fr-par-1';
      ctx = {
        api: scwClient({ apiUrl, secretKey }),
        zone,
        region: String(c.region ?? '') || creds?.region || zone.replace(/-\d+$/, ''),
        projectId: String(c.project_id ?? '') || creds?.projectId || '',
        signal: stop.signal,
        pollMs: Number(env.ONEDECK_SANDBOX_PROVIDER_POLL_MS ?? '') || 250,
      };
      return { diagnostics: [] };
    },
    UpgradeResourceState(req) {
      const r = res(req.type_name);
      const raw = req.raw_state?.json ? (JSON.parse(Buffer.from(req.raw_state.json).toString('utf8')) as Obj) : {};
      return { upgraded_state: dynamic(upgradeState(r, raw)), diagnostics: [] };
    },
    async ReadResource(req) {
      const r = res(req.type_name);
      const cur = fromDynamic(req.current_state) as Obj | null;
      if (!cur) return { new_state: dynamic(null), diagnostics: [] };
      return { new_state: dynamic(await refreshState(r, need(), cur)), private: req.private, diagnostics: [] };
    },
    PlanResourceChange(req) {
      const r = res(req.type_name);
      const proposed = fromDynamic(req.proposed_new_state) as Obj | null;
      if (!proposed) return { planned_state: dynamic(null), diagnostics: [] };
      const prior = fromDynamic(req.prior_state) as Obj | null;
      const config = (fromDynamic(req.config) as Obj | null) ?? {};
      const ctxNow = ctx;
      // zone/region/project left unset take the provider's, as the real provider plans them
      const locality: Obj = {};
      if (ctxNow && !prior) {
        if ('zone' in r.schema.attributes && config.zone == null && r.schema.attributes.zone.optional) locality.zone = ctxNow.zone;
        if ('region' in r.schema.attributes && config.region == null) locality.region = ctxNow.region;
        if ('project_id' in r.schema.attributes && config.project_id == null && ctxNow.projectId) locality.project_id = ctxNow.projectId;
      }
      const { planned, requiresReplace } = planChange(r.schema, prior, { ...proposed, ...locality }, { ...config, ...locality });
      return { planned_state: dynamic(planned), requires_replace: requiresReplace.map((steps) => ({ steps })), planned_private: req.prior_private, legacy_type_system: true, diagnostics: [] };
    },
    async ApplyResourceChange(req) {
      const r = res(req.type_name);
      const prior = fromDynamic(req.prior_state) as Obj | null;
      const planned = fromDynamic(req.planned_state) as Obj | null;
      const c = need();
      try {
        if (!planned) {
          if (prior) await r.delete(c, prior);
          return { new_state: dynamic(null), legacy_type_system: true, diagnostics: [] };
        }
        const clean = resolveUnknowns(planned) as Obj;
        const next = prior ? await r.update(c, prior, clean) : await r.create(c, clean);
        return { new_state: dynamic(resolveUnknowns(shape(r.schema, { ...clean, ...next })) as Obj), legacy_type_system: true, diagnostics: [] };
      } catch (err) {
        // a create that made the object before failing hands Terraform its id (it taints it)
        if (err instanceof PartialCreateError) {
          return { new_state: dynamic(resolveUnknowns(shape(r.schema, err.partial)) as Obj), legacy_type_system: true, diagnostics: [diagOf(err.reason)] };
        }
        // a failed update or delete leaves the object as it was
        return { new_state: dynamic(prior), legacy_type_system: true, diagnostics: [diagOf(err)] };
      }
    },
    ImportResourceState(req) {
      res(req.type_name);
      return { imported_resources: [{ type_name: req.type_name, state: dynamic(shape(res(req.type_name).schema, { id: req.id })) }], diagnostics: [] };
    },
    async ReadDataSource(req) {
      const d = DATA_SOURCES[req.type_name];
      if (!d) throw new ProviderError(`unknown data source ${req.type_name}`);
      const config = (fromDynamic(req.config) as Obj | null) ?? {};
      return { state: dynamic(shape(d.schema, await d.read(need(), config))), diagnostics: [] };
    },
    StopProvider() {
      stop.abort();
      return { Error: '' };
    },
  };

  /** The handler, with any failure turned into the response's diagnostics. */
  async function call(name: string, req: Msg): Promise<Msg> {
    const h = handlers[name];
    try {
      return await h(req);
    } catch (err) {
      return { diagnostics: [diagOf(err)] };
    }
  }
  return { call, names: Object.keys(handlers) };
}
