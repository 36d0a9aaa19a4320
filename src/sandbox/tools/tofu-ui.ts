// OpenTofu's machine-readable UI (`-json`): one JSON object per line, keys sorted as hclog
// writes them, "@module":"tofu.ui".

export const TOFU_VERSION = '1.8.8';

export interface ResourceRef {
  addr: string;
  module: string;
  resource: string;
  implied_provider: string;
  resource_type: string;
  resource_name: string;
  resource_key: string | number | null;
}

/** `scaleway_flexible_ip.host["kvm-4"]` → its resource block. */
export function resourceRef(type: string, name: string, key?: string | number): ResourceRef {
  const addr = key === undefined ? `${type}.${name}` : `${type}.${name}[${typeof key === 'string' ? JSON.stringify(key) : key}]`;
  return { addr, module: '', resource: addr, implied_provider: type.split('_')[0], resource_type: type, resource_name: name, resource_key: key ?? null };
}

/** Go's time.Format(RFC3339Nano) trimmed to microseconds, as in tofu's lines. */
export function tofuTimestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`);
}

function sortKeys(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
}

export function uiLine(level: 'info' | 'warn' | 'error', message: string, type: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(sortKeys({ '@level': level, '@message': message, '@module': 'tofu.ui', '@timestamp': tofuTimestamp(), type, ...extra }));
}

export const versionLine = () => uiLine('info', `OpenTofu ${TOFU_VERSION}`, 'version', { tofu: TOFU_VERSION, ui: '1.2' });

export function plannedChange(r: ResourceRef, action: string, reason?: string): string {
  const verb: Record<string, string> = { create: 'Plan to create', delete: 'Plan to delete', update: 'Plan to update', replace: 'Plan to replace' };
  return uiLine('info', `${r.addr}: ${verb[action] ?? `Plan to ${action}`}`, 'planned_change', {
    change: { resource: r, action, ...(reason ? { reason } : {}) },
  });
}

export function changeSummary(add: number, change: number, remove: number, operation: 'plan' | 'apply' | 'destroy'): string {
  const msg =
    operation === 'plan'
      ? `Plan: ${add} to add, ${change} to change, ${remove} to destroy.`
      : operation === 'destroy'
        ? `Destroy complete! Resources: ${remove} destroyed.`
        : `Apply complete! Resources: ${add} added, ${change} changed, ${remove} destroyed.`;
  return uiLine('info', msg, 'change_summary', { changes: { add, change, import: 0, remove, operation } });
}

const VERB = {
  create: ['Creating...', 'Still creating...', 'Creation complete', 'Creation errored'],
  delete: ['Destroying...', 'Still destroying...', 'Destruction complete', 'Destruction errored'],
  update: ['Modifying...', 'Still modifying...', 'Modifications complete', 'Modifications errored'],
  read: ['Reading...', 'Still reading...', 'Read complete', 'Read errored'],
} as const;
type HookAction = keyof typeof VERB;

export function duration(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}

export function applyStart(r: ResourceRef, action: HookAction, id?: string): string {
  const suffix = id ? ` [id=${id}]` : '';
  return uiLine('info', `${r.addr}: ${VERB[action][0]}${suffix}`, 'apply_start', {
    hook: { resource: r, action, ...(id ? { id_key: 'id', id_value: id } : {}) },
  });
}

export function applyProgress(r: ResourceRef, action: HookAction, elapsed: number, id?: string): string {
  return uiLine('info', `${r.addr}: ${VERB[action][1]} [${id ? `id=${id}, ` : ''}${duration(elapsed)} elapsed]`, 'apply_progress', {
    hook: { resource: r, action, elapsed_seconds: elapsed },
  });
}

export function applyComplete(r: ResourceRef, action: HookAction, elapsed: number, id?: string): string {
  return uiLine('info', `${r.addr}: ${VERB[action][2]} after ${duration(elapsed)}${id && action !== 'delete' ? ` [id=${id}]` : ''}`, 'apply_complete', {
    hook: { resource: r, action, ...(id && action !== 'delete' ? { id_key: 'id', id_value: id } : {}), elapsed_seconds: elapsed },
  });
}

export function applyErrored(r: ResourceRef, action: HookAction, elapsed: number): string {
  return uiLine('error', `${r.addr}: ${VERB[action][3]} after ${duration(elapsed)}`, 'apply_errored', {
    hook: { resource: r, action, elapsed_seconds: elapsed },
  });
}

export function refreshStart(r: ResourceRef, id: string): string {
  return uiLine('info', `${r.addr}: Refreshing state... [id=${id}]`, 'refresh_start', { hook: { resource: r, id_key: 'id', id_value: id } });
}

export function refreshComplete(r: ResourceRef, id: string): string {
  return uiLine('info', `${r.addr}: Refresh complete [id=${id}]`, 'refresh_complete', { hook: { resource: r, id_key: 'id', id_value: id } });
}

export function diagnostic(severity: 'error' | 'warning', summary: string, detail: string, address?: string): string {
  return uiLine(severity === 'error' ? 'error' : 'warn', `${severity === 'error' ? 'Error' : 'Warning'}: ${summary}`, 'diagnostic', {
    diagnostic: { severity, summary, detail, ...(address ? { address } : {}) },
  });
}

export function outputsLine(outputs: Record<string, { sensitive: boolean; type: unknown; value: unknown }>): string {
  return uiLine('info', `Outputs: ${Object.keys(outputs).length}`, 'outputs', { outputs });
}

/** The cty type of a JSON value, as `tofu output -json` prints it. */
export function ctyType(v: unknown): unknown {
  if (v === null) return 'dynamic';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(ctyType)];
  return ['object', Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, ctyType(x)]))];
}
