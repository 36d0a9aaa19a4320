// What the provider makes of a stored state (UpgradeResourceState) and what it reads back for it
// (ReadResource), as plain functions: the gRPC handlers call them, and so does the sandbox when it
// seeds a terraform.tfstate (src/sandbox/terraform-seed.ts), so a seeded state is exactly what a
// refresh returns and the first plan reports no drift.
import { schemaToProto, shape } from './schema.js';
import type { ProviderCtx, ResourceImpl } from './types.js';
import type { Obj } from './values.js';

/** The schema version the provider reports for a resource (GetProviderSchema). */
export const schemaVersion = (r: ResourceImpl): number => schemaToProto(r.schema).version;

/** The state's sensitive_attributes as Terraform records them after an apply: every attribute the schema marks sensitive. */
export const sensitivePaths = (r: ResourceImpl): { type: 'get_attr'; value: string }[][] =>
  Object.entries(r.schema.attributes)
    .filter(([, a]) => a.sensitive)
    .map(([k]) => [{ type: 'get_attr', value: k }]);

/** A stored state (its JSON attributes) in the schema's shape, unset attributes with a default take it. */
export function upgradeState(r: ResourceImpl, raw: Obj): Obj {
  const st = shape(r.schema, raw);
  for (const [k, a] of Object.entries(r.schema.attributes)) if (st[k] === null && a.default !== undefined) st[k] = a.default;
  return st;
}

/** The object as read back from the API for the current state; null when it is gone. */
export async function refreshState(r: ResourceImpl, ctx: ProviderCtx, current: Obj): Promise<Obj | null> {
  const next = await r.read(ctx, current);
  return next ? shape(r.schema, next) : null;
}
