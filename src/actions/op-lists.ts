// What the operations screens list and which operation an action acts on: pure functions of the
// cluster store (the operations watcher publishes `operations`) and the session's UI store.
import type { ClusterState, OperationBrief, OperationStepBrief } from '../store/cluster-store.js';
import { currentScreen, type UiState } from '../store/ui-store.js';
import { makeMatcher } from './ui-lists.js';

/** the operation running now (the newest), if any */
export const runningOperation = (ops: readonly OperationBrief[]): OperationBrief | undefined => ops.find((x) => x.state === 'running');

export const opSearchText = (o: OperationBrief): string => [o.id, o.kind, o.title, o.state, o.user, o.message ?? ''].join(' ');

/** the operations screen as shown: newest first, filtered */
export function visibleOps(c: Pick<ClusterState, 'operations'>, u: Pick<UiState, 'filter' | 'filterInverted'>): OperationBrief[] {
  const match = makeMatcher(u.filter);
  return c.operations.filter((o) => match(opSearchText(o)) !== u.filterInverted);
}

/** the operation the keys act on: the one the `op` screen shows, the one selected on `ops` */
export function selectedOp(c: Pick<ClusterState, 'operations'>, u: UiState): OperationBrief | undefined {
  const s = currentScreen(u);
  if (s.id === 'op') return c.operations.find((o) => o.id === s.arg);
  if (s.id === 'ops') return visibleOps(c, u)[u.selected];
  return undefined;
}

/** the step the operation is at (running, or where it stopped) */
export const currentStep = (o: OperationBrief): OperationStepBrief | undefined => o.steps.find((s) => s.id === o.step) ?? o.steps.find((s) => s.state === 'running');

/** the job whose log the `op` screen shows: the current step's last job, else the last job of any step */
export function opJobId(o: OperationBrief | undefined): string | undefined {
  if (!o) return undefined;
  const cur = currentStep(o);
  const own = cur?.jobIds[cur.jobIds.length - 1];
  if (own) return own;
  for (let i = o.steps.length - 1; i >= 0; i--) {
    const j = o.steps[i].jobIds;
    if (j.length && o.steps[i].state !== 'pending') return j[j.length - 1];
  }
  return undefined;
}

/** "add kvm-4 · running at apply (3/8)" */
export function opLine(o: OperationBrief): string {
  const step = currentStep(o);
  const n = step ? o.steps.indexOf(step) + 1 : 0;
  const at = step ? ` at ${step.title} (${n}/${o.steps.length})` : '';
  if (o.state === 'done') return `${o.title} · done`;
  return `${o.title} · ${o.state}${at}`;
}
