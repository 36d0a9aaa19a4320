// PlanResourceChange as an SDKv2 provider does it: the proposed state, with defaults filled in,
// computed attributes not yet known marked unknown, prior computed values kept, and the paths of
// ForceNew attributes that changed listed in requires_replace (then the whole object is new).
import type { Block } from './schema.js';
import { isUnknown, same, UNKNOWN, type Obj, type Value } from './values.js';

export type PathStep = { attribute_name: string } | { element_key_int: number };

export interface PlanResult {
  planned: Obj;
  requiresReplace: PathStep[][];
}

/** Values the configuration sets (non-computed attributes), used to pair set elements. */
function configuredKey(b: Block, e: Obj): string {
  return JSON.stringify(Object.entries(b.attributes).filter(([, a]) => !a.computed || a.optional).map(([k]) => [k, isUnknown(e[k]) ? '?' : (e[k] ?? null)]));
}

function planBlock(b: Block, prior: Obj | null, proposed: Obj, config: Obj | null, path: PathStep[], replace: PathStep[][]): Obj {
  const out: Obj = {};
  for (const [k, a] of Object.entries(b.attributes)) {
    const cfg = config ? config[k] : null;
    let v: Value = proposed[k] ?? null;
    if ((cfg === null || cfg === undefined) && a.default !== undefined) v = a.default;
    else if ((cfg === null || cfg === undefined) && a.computed) v = prior && prior[k] !== undefined && prior[k] !== null ? prior[k] : UNKNOWN;
    out[k] = v;
    if (prior && a.forceNew && !(a.computed && !a.optional) && !same(prior[k] ?? null, v) && !(a.computed && (cfg === null || cfg === undefined))) {
      replace.push([...path, { attribute_name: k }]);
    }
  }
  for (const [k, nb] of Object.entries(b.blocks ?? {})) {
    const props = (proposed[k] as Obj[] | null) ?? [];
    const cfgs = (config?.[k] as Obj[] | null) ?? [];
    const priors = ((prior?.[k] as Obj[] | null) ?? []).slice();
    if (nb.computed && cfgs.length === 0) {
      out[k] = prior ? (prior[k] ?? []) : UNKNOWN;
      continue;
    }
    out[k] = props.map((e, i) => {
      // lists pair by position, sets by the configured values
      let match: Obj | null = null;
      if (nb.nesting === 'list') match = priors[i] ?? null;
      else {
        const j = priors.findIndex((p) => configuredKey(nb.block, p) === configuredKey(nb.block, e));
        if (j >= 0) match = priors.splice(j, 1)[0];
      }
      const cfgEl = nb.nesting === 'list' ? (cfgs[i] ?? null) : (cfgs.find((c) => configuredKey(nb.block, c) === configuredKey(nb.block, e)) ?? e);
      return planBlock(nb.block, match, e, cfgEl, [...path, { attribute_name: k }, { element_key_int: i }], nb.nesting === 'list' && prior ? replace : []);
    });
  }
  return out;
}

/** Every computed value that is not configured becomes unknown: the object is created anew. */
function fresh(b: Block, proposed: Obj, config: Obj | null): Obj {
  return planBlock(b, null, proposed, config, [], []);
}

export function planChange(b: Block, prior: Obj | null, proposed: Obj, config: Obj): PlanResult {
  if (!prior) return { planned: fresh(b, proposed, config), requiresReplace: [] };
  const replace: PathStep[][] = [];
  const planned = planBlock(b, prior, proposed, config, [], replace);
  if (replace.length) return { planned: { ...fresh(b, proposed, config) }, requiresReplace: replace };
  return { planned, requiresReplace: [] };
}

/** Unknowns left in a value (after apply none may remain): null them. */
export function resolveUnknowns(v: Value): Value {
  if (isUnknown(v)) return null;
  if (Array.isArray(v)) return v.map(resolveUnknowns);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveUnknowns(x)]));
  return v;
}
