// Reads an inventory back with the real `ansible-inventory -i FILE --list` (PyYAML, YAML 1.1) and
// compares every host's variables with the values onedeck meant (the object it rendered), types
// included: a MAC, "NO", "6.10" or an id that Ansible reads as a number or a boolean is a failure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';

interface Group {
  hosts?: Record<string, Record<string, unknown> | null>;
  vars?: Record<string, unknown>;
  children?: Record<string, Group | null>;
}

export interface AnsibleView {
  hostvars: Record<string, Record<string, unknown>>;
  /** group name -> its hosts, as Ansible lists them */
  groups: Record<string, string[]>;
}

/** What `ansible-inventory --list` makes of this inventory text. */
export async function ansibleReadBack(text: string): Promise<AnsibleView> {
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-inv-rt-'));
  try {
    const file = join(dir, 'inventory.yml');
    writeFileSync(file, text, { mode: 0o600 });
    const r = await execa('ansible-inventory', ['-i', file, '--list'], {
      cwd: dir,
      reject: false,
      env: {
        HOME: dir,
        ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
        ANSIBLE_CONFIG: join(dir, 'none.cfg'),
        ANSIBLE_NOCOLOR: '1',
        // only the YAML plugin, and a file it cannot parse is an error, not a warning
        ANSIBLE_INVENTORY_ENABLED: 'yaml',
        ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True',
      },
    });
    if (r.exitCode !== 0) throw new Error(`ansible-inventory failed (${r.exitCode}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as Record<string, { hosts?: string[]; hostvars?: AnsibleView['hostvars'] }>;
    const groups: Record<string, string[]> = {};
    for (const [g, v] of Object.entries(out)) if (g !== '_meta' && v.hosts) groups[g] = v.hosts;
    return { hostvars: out._meta?.hostvars ?? {}, groups };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each host's variables as Ansible merges them (all.vars < group vars < host vars), from the object. */
export function meantHostvars(doc: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const hosts: Record<string, Record<string, unknown>> = {};
  const walk = (g: Group | null, inherited: Record<string, unknown>) => {
    const vars = { ...inherited, ...(g?.vars ?? {}) };
    for (const [h, hv] of Object.entries(g?.hosts ?? {})) hosts[h] = { ...vars, ...(hosts[h] ?? {}), ...(hv ?? {}) };
    for (const c of Object.values(g?.children ?? {})) walk(c, vars);
  };
  for (const g of Object.values(doc)) walk(g as Group, {});
  return hosts;
}

/**
 * Ansible reads `text` back as exactly `doc`: every host, every variable, with its type. Returns
 * what Ansible read, for further checks.
 */
export async function expectAnsibleReadsAsMeant(text: string, doc: Record<string, unknown>): Promise<AnsibleView> {
  const view = await ansibleReadBack(text);
  const meant = meantHostvars(doc);
  expect(Object.keys(view.hostvars).sort()).toEqual(Object.keys(meant).sort());
  for (const [host, vars] of Object.entries(meant)) {
    // null values come back as null; every other value with the type onedeck gave it
    expect(view.hostvars[host], `variables of ${host} as Ansible reads them`).toStrictEqual(JSON.parse(JSON.stringify(vars)));
  }
  return view;
}
