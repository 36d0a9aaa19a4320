// What a resource or data source of this provider implements, and what it is handed.
import type { Block } from './schema.js';
import type { ScwClient } from './scw-http.js';
import type { Obj } from './values.js';

export interface ProviderCtx {
  api: ScwClient;
  /** provider block values, else SCW_DEFAULT_* / the scw profile */
  zone: string;
  region: string;
  projectId: string;
  /** aborted by StopProvider (Terraform got an interrupt) */
  signal: AbortSignal;
  /** poll interval while waiting for a transient state (ms) */
  pollMs: number;
}

export interface ResourceImpl {
  schema: Block;
  /** the new object's state, as read back from the API */
  create(ctx: ProviderCtx, planned: Obj): Promise<Obj>;
  /** null when the object is gone */
  read(ctx: ProviderCtx, state: Obj): Promise<Obj | null>;
  update(ctx: ProviderCtx, prior: Obj, planned: Obj): Promise<Obj>;
  delete(ctx: ProviderCtx, state: Obj): Promise<void>;
}

export interface DataSourceImpl {
  schema: Block;
  read(ctx: ProviderCtx, config: Obj): Promise<Obj>;
}

/**
 * A create that failed after the object was made (a wait halted or timed out): the real
 * provider has set the id already, so Terraform records `partial` and marks it tainted.
 */
export class PartialCreateError extends Error {
  constructor(
    readonly reason: unknown,
    readonly partial: Obj,
  ) {
    super((reason as Error)?.message ?? String(reason));
  }
}

/** An error with the real provider's summary (and detail) for Terraform's diagnostics. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly detail = '',
    readonly attribute?: string,
  ) {
    super(message);
  }
}
