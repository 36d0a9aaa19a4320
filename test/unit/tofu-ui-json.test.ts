import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUiLine, renderUiEvent, resourceLabel } from '../../src/adapters/tofu/ui-json.js';

const fx = (f: string) => readFileSync(join(import.meta.dirname, '../fixtures/jobs', f), 'utf8').trim().split('\n');

describe('tofu -json UI stream', () => {
  it('parses every line of a real apply stream (Terraform 1.11)', () => {
    const evs = fx('tofu-apply.jsonl').map(parseUiLine);
    expect(evs.every(Boolean)).toBe(true);
    expect(evs[0]).toMatchObject({ type: 'version', version: 'Terraform 1.11.4' });
    const progress = evs.find((e) => e!.type === 'apply_progress')!;
    expect(progress).toMatchObject({ action: 'create', elapsed: 10, resource: { addr: 'terraform_data.hypervisor["kvm-4"]' } });
    const complete = evs.filter((e) => e!.type === 'apply_complete');
    expect(complete.map((e) => e!.resource!.addr)).toContain('terraform_data.hypervisor["kvm-1"]');
    const summary = evs.find((e) => e!.type === 'change_summary')!;
    expect(summary.changes).toEqual({ add: 2, change: 1, import: 0, remove: 2, operation: 'apply' });
  });

  it('renders readable lines: messages, diagnostics with address and detail, output names only', () => {
    const evs = fx('tofu-apply-errored.jsonl').map((l) => parseUiLine(l)!);
    const lines = evs.flatMap(renderUiEvent);
    expect(lines).toContain('terraform_data.hypervisor["kvm-5"]: Creation errored after 0s');
    expect(lines).toContain('Error: local-exec provisioner error');
    expect(lines).toContain('  with terraform_data.hypervisor["kvm-5"]');
    expect(lines.some((l) => l.includes("exit status 3. Output: boom"))).toBe(true);
    const outputs = parseUiLine(fx('tofu-apply.jsonl').at(-1)!)!;
    expect(renderUiEvent(outputs)).toEqual(['Outputs: 1: names']);
    expect(renderUiEvent(outputs).join()).not.toContain('kvm-4'); // values never rendered
  });

  it('tolerates plain text, broken JSON and unknown types (shown by @message)', () => {
    expect(parseUiLine('Initializing the backend...')).toBeUndefined();
    expect(parseUiLine('{"@message":')).toBeUndefined();
    const ev = parseUiLine('{"@level":"info","@message":"something new","@module":"tofu.ui","type":"test_run_future"}')!;
    expect(renderUiEvent(ev)).toEqual(['something new']);
    expect(parseUiLine('{"@level":"info","@message":"OpenTofu 1.8.8","@module":"tofu.ui","tofu":"1.8.8","type":"version","ui":"1.2"}')?.version).toBe('OpenTofu 1.8.8');
  });

  it('labels resources by their key', () => {
    expect(resourceLabel('scaleway_baremetal_server.hypervisor["kvm-3"]')).toBe('kvm-3');
    expect(resourceLabel('module.x.scaleway_flexible_ip.fe')).toBe('fe');
    expect(resourceLabel('scaleway_baremetal_server.kvm[0]')).toBe('kvm-0');
  });
});
