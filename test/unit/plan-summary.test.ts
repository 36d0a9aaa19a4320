import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destroyNames, emptyPlan, foldPlanEvent, hasChanges, planOneLine, type PlanSummary } from '../../src/adapters/tofu/plan-summary.js';
import { describeStateLock, parseStateLock } from '../../src/adapters/tofu/state-lock.js';
import { parseUiLine, type UiEvent } from '../../src/adapters/tofu/ui-json.js';

const events = (f: string): UiEvent[] =>
  readFileSync(join(import.meta.dirname, '../fixtures/jobs', f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => parseUiLine(l))
    .filter((e): e is UiEvent => !!e);

/** a whole stream folded as the job's stream processor folds it, event by event */
function summarizePlan(evs: UiEvent[], tool = 'tofu'): PlanSummary {
  const s = emptyPlan();
  for (const ev of evs) foldPlanEvent(s, ev, tool);
  return s;
}

describe('plan summary', () => {
  it('lists each resource with its action, the counts, and what is destroyed (replace included)', () => {
    const s = summarizePlan(events('tofu-plan-destroy.jsonl'));
    expect(s.resources).toEqual([
      { addr: 'terraform_data.hypervisor["kvm-1"]', action: 'update' },
      { addr: 'terraform_data.hypervisor["kvm-3"]', action: 'delete', reason: 'delete_because_each_key' },
      { addr: 'terraform_data.hypervisor["kvm-2"]', action: 'replace', reason: 'cannot_update' },
      { addr: 'terraform_data.hypervisor["kvm-4"]', action: 'create' },
    ]);
    expect([s.add, s.change, s.destroy]).toEqual([2, 1, 2]);
    expect(s.destroys).toEqual(['terraform_data.hypervisor["kvm-3"]', 'terraform_data.hypervisor["kvm-2"]']);
    expect(destroyNames(s.destroys)).toEqual(['kvm-3', 'kvm-2']);
    expect(s.complete).toBe(true);
    expect(hasChanges(s)).toBe(true);
    expect(planOneLine(s)).toBe('Plan: 2 to add, 1 to change, 2 to destroy. Destroys: kvm-3, kvm-2');
  });

  it('a create-only plan destroys nothing', () => {
    const s = summarizePlan(events('tofu-plan-create.jsonl'));
    expect(s.destroys).toEqual([]);
    expect(s.add).toBe(3);
    expect(planOneLine(s)).toBe('Plan: 3 to add, 0 to change, 0 to destroy.');
  });

  it('keeps diagnostics and explains a state-lock error', () => {
    const s = summarizePlan(events('tofu-state-lock.jsonl'), 'tofu');
    expect(s.complete).toBe(false);
    expect(s.diagnostics[0]).toMatchObject({ severity: 'error', summary: 'Error acquiring the state lock' });
    expect(s.stateLock).toBe(
      'state locked by root@vm since 2026-11-27 14:34:28 UTC, operation OperationTypeApply; if that run is dead: tofu force-unlock c70f9e41-a655-df82-aac9-cd97ddfd33f5',
    );
    expect(planOneLine(s)).toBe(s.stateLock);
  });

  it('parses lock info from a remote backend detail', () => {
    const detail = 'Error message: ConditionalCheckFailed\nLock Info:\n  ID:        4f1c\n  Path:      bucket/state\n  Operation: OperationTypePlan\n  Who:       bob@ops-1\n  Version:   1.8.8\n  Created:   2026-11-27 09:00:01.5 +0000 UTC\n  Info:\n';
    const info = parseStateLock(detail)!;
    expect(info).toMatchObject({ id: '4f1c', who: 'bob@ops-1', operation: 'OperationTypePlan', path: 'bucket/state' });
    expect(describeStateLock(info, 'terraform')).toBe(
      'state locked by bob@ops-1 since 2026-11-27 09:00:01 UTC, operation OperationTypePlan; if that run is dead: terraform force-unlock 4f1c',
    );
    expect(parseStateLock('no lock here')).toBeUndefined();
  });
});
