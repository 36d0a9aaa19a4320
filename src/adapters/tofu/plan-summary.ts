// A reviewable summary of a plan, folded from the -json stream: each resource with its action,
// the add/change/destroy counts, the diagnostics, and what would be destroyed (replace included).
import { parseStateLock, describeStateLock, isStateLockError } from './state-lock.js';
import { resourceLabel, type ChangeAction, type UiDiagnostic, type UiEvent } from './ui-json.js';

export interface PlanResource {
  addr: string;
  action: ChangeAction;
  reason?: string;
}

export interface PlanSummary {
  resources: PlanResource[];
  drift: PlanResource[];
  add: number;
  change: number;
  destroy: number;
  diagnostics: UiDiagnostic[];
  /** addresses deleted or replaced */
  destroys: string[];
  /** the change_summary message ("Plan: 1 to add, …"), when the plan finished */
  message?: string;
  complete: boolean;
  /** a state-lock error explained */
  stateLock?: string;
}

export function emptyPlan(): PlanSummary {
  return { resources: [], drift: [], add: 0, change: 0, destroy: 0, diagnostics: [], destroys: [], complete: false };
}

/** Fold one event into the summary (returns the same object). */
export function foldPlanEvent(s: PlanSummary, ev: UiEvent, tool = 'tofu'): PlanSummary {
  switch (ev.type) {
    case 'planned_change':
      if (ev.resource && ev.action) {
        s.resources = s.resources.filter((r) => r.addr !== ev.resource!.addr);
        s.resources.push({ addr: ev.resource.addr, action: ev.action, ...(ev.reason ? { reason: ev.reason } : {}) });
        s.destroys = s.resources.filter((r) => r.action === 'delete' || r.action === 'replace').map((r) => r.addr);
      }
      break;
    case 'resource_drift':
      if (ev.resource && ev.action) s.drift.push({ addr: ev.resource.addr, action: ev.action });
      break;
    case 'change_summary':
      if (ev.changes) {
        s.add = ev.changes.add;
        s.change = ev.changes.change;
        s.destroy = ev.changes.remove;
        s.message = ev.message;
        s.complete = true;
      }
      break;
    case 'diagnostic':
      if (ev.diagnostic) {
        s.diagnostics.push(ev.diagnostic);
        if (isStateLockError(ev.diagnostic.summary)) {
          const info = parseStateLock(ev.diagnostic.detail ?? '');
          if (info) s.stateLock = describeStateLock(info, tool);
        }
      }
      break;
  }
  return s;
}

export function hasChanges(s: PlanSummary): boolean {
  return s.add + s.change + s.destroy > 0 || s.resources.some((r) => r.action !== 'noop' && r.action !== 'read');
}

/** Names an operator can type to confirm destruction: "kvm-3" for hypervisor["kvm-3"]. */
export function destroyNames(addrs: readonly string[]): string[] {
  return [...new Set(addrs.map(resourceLabel))];
}

/** One line: the plan message, or the first error. */
export function planOneLine(s: PlanSummary): string {
  if (s.stateLock) return s.stateLock;
  const err = s.diagnostics.find((d) => d.severity === 'error');
  if (err) return `Error: ${err.summary}${err.address ? ` (${err.address})` : ''}`;
  if (s.message) return s.destroys.length ? `${s.message} Destroys: ${destroyNames(s.destroys).join(', ')}` : s.message;
  return 'plan did not finish';
}
