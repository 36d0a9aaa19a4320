// OpenTofu / Terraform machine-readable UI (`plan|apply -json`): one JSON object per line. Parses
// a line into a typed event and renders it as the readable line(s) written to the job log.
import { parseJsonLine } from '../json-line.js';

export type ChangeAction = 'noop' | 'create' | 'read' | 'update' | 'replace' | 'delete' | 'move' | 'remove' | 'import' | 'forget';

export interface UiResource {
  addr: string;
  module?: string;
  resource?: string;
  resource_type?: string;
  resource_name?: string;
  resource_key?: string | number | null;
}

export interface UiDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number; column: number } };
}

export interface UiEvent {
  type: string;
  level: string;
  message: string;
  timestamp?: string;
  /** the resource a change or hook is about */
  resource?: UiResource;
  action?: ChangeAction;
  reason?: string;
  elapsed?: number;
  idValue?: string;
  changes?: { add: number; change: number; remove: number; import?: number; operation: string };
  diagnostic?: UiDiagnostic;
  outputs?: Record<string, { sensitive?: boolean; value?: unknown; action?: string }>;
  version?: string;
}

/** Parse one line of the -json stream; undefined when it is not a UI message (plain text). */
export function parseUiLine(line: string): UiEvent | undefined {
  const o = parseJsonLine(line);
  if (!o || typeof o.type !== 'string') return undefined;
  const ev: UiEvent = {
    type: o.type,
    level: String(o['@level'] ?? 'info'),
    message: String(o['@message'] ?? ''),
    timestamp: typeof o['@timestamp'] === 'string' ? o['@timestamp'] : undefined,
  };
  const holder = (o.change ?? o.hook) as Record<string, unknown> | undefined;
  if (holder && typeof holder === 'object') {
    const r = holder.resource as UiResource | undefined;
    if (r && typeof r.addr === 'string') ev.resource = r;
    if (typeof holder.action === 'string') ev.action = holder.action as ChangeAction;
    if (typeof holder.reason === 'string') ev.reason = holder.reason;
    if (typeof holder.elapsed_seconds === 'number') ev.elapsed = holder.elapsed_seconds;
    if (typeof holder.id_value === 'string') ev.idValue = holder.id_value;
  }
  if (o.changes && typeof o.changes === 'object') ev.changes = o.changes as UiEvent['changes'];
  if (o.diagnostic && typeof o.diagnostic === 'object') ev.diagnostic = o.diagnostic as UiDiagnostic;
  if (o.outputs && typeof o.outputs === 'object') ev.outputs = o.outputs as UiEvent['outputs'];
  if (typeof o.terraform === 'string') ev.version = `Terraform ${o.terraform}`;
  if (typeof o.tofu === 'string') ev.version = `OpenTofu ${o.tofu}`;
  return ev;
}

/** Readable lines for the job log (never the values of outputs: they may be sensitive). */
export function renderUiEvent(ev: UiEvent): string[] {
  switch (ev.type) {
    case 'diagnostic': {
      const d = ev.diagnostic;
      if (!d) return [ev.message];
      const head = `${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}`;
      const lines = [head];
      if (d.address) lines.push(`  with ${d.address}`);
      if (d.range) lines.push(`  on ${d.range.filename} line ${d.range.start.line}`);
      for (const l of (d.detail ?? '').split('\n')) if (l.trim()) lines.push(`  ${l}`);
      return lines;
    }
    case 'outputs': {
      const names = Object.keys(ev.outputs ?? {});
      return names.length ? [`${ev.message}: ${names.join(', ')}`] : [];
    }
    case 'planned_change':
      return [ev.reason ? `${ev.message} (${ev.reason.replace(/_/g, ' ')})` : ev.message];
    default:
      return ev.message ? [ev.message] : [];
  }
}

/** "scaleway_baremetal_server.hypervisor[\"kvm-3\"]" → "kvm-3"; without a key, the resource name. */
export function resourceLabel(addr: string): string {
  const m = /\[("?)([^"\]]+)\1\]$/.exec(addr);
  if (m && m[1] === '"') return m[2];
  const parts = addr.replace(/\[[^\]]*\]$/, '').split('.');
  const name = parts[parts.length - 1] ?? addr;
  return m ? `${name}-${m[2]}` : name;
}
