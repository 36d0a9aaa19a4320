// Reads an Ansible YAML inventory: hosts, their groups and merged variables
// (all.vars < parent group vars < group vars < host vars).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface InvHost {
  name: string;
  groups: string[];
  vars: Record<string, unknown>;
}

interface Group {
  hosts?: Record<string, Record<string, unknown> | null>;
  vars?: Record<string, unknown>;
  children?: Record<string, Group | null>;
}

export function readInventory(file: string): Map<string, InvHost> {
  // Ansible reads inventories as YAML 1.1 (PyYAML): so does the stand-in (NO is false, 6.10 is 6.1)
  const doc = (parse(readFileSync(file, 'utf8'), { version: '1.1' }) ?? {}) as Record<string, Group>;
  const hosts = new Map<string, InvHost>();
  const walk = (name: string, g: Group | null, inherited: Record<string, unknown>, lineage: string[]) => {
    const vars = { ...inherited, ...(g?.vars ?? {}) };
    const groups = [...lineage, name];
    for (const [h, hv] of Object.entries(g?.hosts ?? {})) {
      const prev = hosts.get(h);
      hosts.set(h, {
        name: h,
        groups: [...new Set([...(prev?.groups ?? []), ...groups])],
        vars: { ...vars, ...(prev?.vars ?? {}), ...(hv ?? {}) },
      });
    }
    for (const [c, cg] of Object.entries(g?.children ?? {})) walk(c, cg, vars, groups);
  };
  for (const [name, g] of Object.entries(doc)) walk(name, g, {}, []);
  return hosts;
}

/** Hosts matching a pattern list such as "frontend,kvm-4" or "all" (in inventory order). */
export function selectHosts(inv: Map<string, InvHost>, pattern: string): InvHost[] {
  const parts = pattern.split(/[,:]/).map((p) => p.trim()).filter(Boolean);
  return [...inv.values()].filter((h) => parts.some((p) => p === 'all' || p === '*' || p === h.name || h.groups.includes(p)));
}
