// The layering rule, checked by reading imports: src/ (the core) never loads React or Ink, only
// src/main.ts loads views/, and views/ does no I/O — not even through a core module it imports.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** value imports (type-only imports load nothing at run time) */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /^\s*(import|export)\s+(?!type\s)([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) specs.push(m[3]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(c)) return c;
  }
  return undefined;
}

const UI_PACKAGES = /^(ink|react|react\/.*|ink-.*|@inkjs\/.*)$/;
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|dgram|tls|dns)$|^(execa|node-ssh|ssh2|@scaleway\/.*)$/;

describe('import boundaries', () => {
  const srcFiles = files(join(root, 'src'));
  const viewFiles = existsSync(join(root, 'views')) ? files(join(root, 'views')) : [];

  it('finds the code it checks', () => {
    expect(srcFiles.length).toBeGreaterThan(5);
  });

  it('src/ imports no React or Ink, and only src/main.ts loads views/', () => {
    const bad: string[] = [];
    for (const f of srcFiles) {
      const isMain = relative(root, f) === join('src', 'main.ts');
      for (const spec of importsOf(f)) {
        if (UI_PACKAGES.test(spec) && !isMain) bad.push(`${relative(root, f)} imports ${spec}`);
        const target = resolveLocal(f, spec);
        if (target && relative(root, target).startsWith('views') && !isMain) bad.push(`${relative(root, f)} loads ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('views/ does no I/O, directly or through the core modules it loads', () => {
    const bad: string[] = [];
    const seen = new Map<string, string | null>();
    // returns the chain to an I/O import, or null
    const ioChain = (file: string, stack: string[]): string | null => {
      if (seen.has(file)) return seen.get(file)!;
      seen.set(file, null);
      for (const spec of importsOf(file)) {
        if (IO_MODULES.test(spec)) {
          const chain = [...stack, relative(root, file), spec].join(' -> ');
          seen.set(file, chain);
          return chain;
        }
        const target = resolveLocal(file, spec);
        if (target) {
          const c = ioChain(target, [...stack, relative(root, file)]);
          if (c) {
            seen.set(file, c);
            return c;
          }
        }
      }
      return null;
    };
    for (const f of viewFiles) {
      const chain = ioChain(f, []);
      if (chain) bad.push(chain);
    }
    expect(bad).toEqual([]);
  });

  it('the folders form no cycle: every arrow runs down the layers', () => {
    // a node is a folder of src/ or views/ (a file at their top level stands alone); type imports
    // count too, since a cycle of types is a cycle of meaning
    const node = (f: string) => {
      const parts = relative(root, f).split('/');
      return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/').replace(/\.tsx?$/, '');
    };
    const edges = new Map<string, Set<string>>();
    for (const f of [...srcFiles, ...viewFiles]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
        const target = resolveLocal(f, m[1]);
        if (!target || node(target) === node(f)) continue;
        if (!edges.has(node(f))) edges.set(node(f), new Set());
        edges.get(node(f))!.add(node(target));
      }
    }
    expect(findCycle(edges)).toEqual([]);
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
  });

  it('the checker itself catches a violation', () => {
    expect(IO_MODULES.test('node:fs')).toBe(true);
    expect(IO_MODULES.test('@scaleway/sdk')).toBe(true);
    expect(UI_PACKAGES.test('ink')).toBe(true);
    expect(importsOf(join(root, 'test/unit/import-boundaries.test.ts'))).toContain('node:fs');
  });
});

/** one cycle of the graph as a path (first node repeated at the end), or [] */
function findCycle(edges: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of edges.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of edges.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return [];
}
