// esbuild plugin: `@scaleway/sdk` is an index of every Scaleway product (about fifty packages,
// each evaluated when the index loads; none is marked free of side effects, so none is dropped).
// onedeck uses four of them (IAM: what the key may do). The bundle's copy of the index defines only the products onedeck
// imports, each exactly as the index defines it; importing another one fails the build.
import { readFile } from 'node:fs/promises';

export const USED = ['Baremetal', 'Flexibleip', 'Iam', 'Ipam'];

export const scalewaySdkSlim = {
  name: 'scaleway-sdk-slim',
  setup(b) {
    b.onLoad({ filter: /[\\/]@scaleway[\\/]sdk[\\/]dist[\\/]index\.gen\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const fail = (what) => {
        throw new Error(`scaleway-sdk-slim: ${args.path}: ${what}; update scripts/scaleway-sdk-slim.mjs`);
      };
      // the index's imports: `import { A, B as C } from "pkg";`, by the name each binds
      const bound = new Map();
      for (const m of src.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm)) {
        for (const spec of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
          const [name, as] = spec.split(/\s+as\s+/);
          bound.set(as ?? name, `import { ${spec} } from "${m[2]}";`);
        }
      }
      const out = [];
      for (const name of USED) {
        const block = new RegExp(`^const ${name} = \\{\\n([^}]*)\\};$`, 'm').exec(src);
        if (!block) fail(`no const ${name}`);
        for (const m of block[1].matchAll(/:\s*([A-Za-z0-9_$]+)/g)) {
          if (!bound.has(m[1])) fail(`${name} uses ${m[1]}, which it does not import`);
          out.push(bound.get(m[1]));
        }
        out.push(block[0]);
      }
      out.push(`export { ${USED.join(', ')} };`);
      return { contents: out.join('\n') + '\n', loader: 'js' };
    });
  },
};
