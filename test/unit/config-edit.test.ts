import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addHypervisors, editConfigFile, listHypervisors, removeHypervisors } from '../../src/config/edit.js';
import { parseConfig } from '../../src/config/load.js';

const TEXT = `# my cluster
cluster: prod   # the name
scaleway:
  zone: fr-par-2
  project_id: 11111111-2222-3333-4444-555555555555
frontend:
  name: fe
hypervisors:
  # the first rack
  - kvm-1
  - kvm-2 # flaky disk
  # the second rack
  - kvm-3
ssh:
  user: root
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('onedeck.yaml edits', () => {
  it('adds names at the end, keeping every comment and the layout', () => {
    const out = addHypervisors(TEXT, ['kvm-4', 'kvm-5']);
    expect(out).toBe(TEXT.replace('  - kvm-3\n', '  - kvm-3\n  - kvm-4\n  - kvm-5\n'));
    expect(listHypervisors(out)).toEqual(['kvm-1', 'kvm-2', 'kvm-3', 'kvm-4', 'kvm-5']);
  });

  it('does not add a name twice', () => {
    expect(addHypervisors(TEXT, ['kvm-2'])).toBe(TEXT);
  });

  it('removes one name and only its line, other comments stay', () => {
    const out = removeHypervisors(TEXT, ['kvm-2']);
    expect(out).toBe(TEXT.replace('  - kvm-2 # flaky disk\n', ''));
  });

  it('keeps the list comment when the first item goes', () => {
    const out = removeHypervisors(TEXT, ['kvm-1']);
    expect(out).toContain('# the first rack\n  - kvm-2 # flaky disk');
    expect(listHypervisors(out)).toEqual(['kvm-2', 'kvm-3']);
  });

  it('follows a flow list and mapping items', () => {
    const flow = 'cluster: c\nhypervisors: [kvm-1, kvm-2] # two\n';
    expect(addHypervisors(flow, ['kvm-3'])).toBe('cluster: c\nhypervisors: [kvm-1, kvm-2, kvm-3] # two\n');
    const maps = 'hypervisors:\n  - name: kvm-1\n    private_ip: 10.0.0.2\n';
    const out = addHypervisors(maps, ['kvm-2']);
    expect(out).toBe('hypervisors:\n  - name: kvm-1\n    private_ip: 10.0.0.2\n  - name: kvm-2\n');
    expect(removeHypervisors(out, ['kvm-1'])).toBe('hypervisors:\n  - name: kvm-2\n');
    expect(removeHypervisors('hypervisors:\n  - kvm-1\nssh: {}\n', ['kvm-1'])).toBe('hypervisors: []\nssh: {}\n');
  });

  it('creates the list when there is none', () => {
    expect(addHypervisors('cluster: c\n', ['kvm-1'])).toBe('cluster: c\nhypervisors:\n  - kvm-1\n');
  });

  it('the result still validates as a config', () => {
    const cfg = parseConfig(addHypervisors(TEXT, ['kvm-9']), '/x/onedeck.yaml');
    expect(cfg.hypervisors.map((h) => h.name)).toEqual(['kvm-1', 'kvm-2', 'kvm-3', 'kvm-9']);
  });

  it('refuses a broken file with its position', () => {
    expect(() => addHypervisors('a: [1,\n', ['kvm-1'], 'f.yaml')).toThrow(/^f\.yaml:\d+:\d+/);
  });

  it('writes atomically with a backup, keeping the mode, no temp file left', () => {
    const d = mkdtempSync(join(tmpdir(), 'onedeck-edit-'));
    dirs.push(d);
    const f = join(d, 'onedeck.yaml');
    writeFileSync(f, TEXT, { mode: 0o640 });
    const r = editConfigFile(f, { add: ['kvm-4'] });
    expect(r).toEqual({ changed: true, backup: `${f}.bak` });
    expect(readFileSync(`${f}.bak`, 'utf8')).toBe(TEXT);
    expect(listHypervisors(readFileSync(f, 'utf8'))).toContain('kvm-4');
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(readdirSync(d).sort()).toEqual(['onedeck.yaml', 'onedeck.yaml.bak']);
    expect(editConfigFile(f, { add: ['kvm-4'] })).toEqual({ changed: false });
  });
});
