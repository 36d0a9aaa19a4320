// esbuild plugin for the CLI's CommonJS bundle (dist/onedeck.cjs, run by dist/onedeck.js with V8's
// code cache): a CommonJS script has no top-level await, and two of the UI's modules use one.
// - yoga-layout awaits its wasm: the bundle's copy exports the promise as `yogaReady` instead,
//   and scripts/cli-entry.mjs starts onedeck once it resolved (Ink uses Yoga only in functions).
// - Ink awaits its devtools and its package.json only when DEV=true: the bundle has no devtools
//   (react-devtools-core is a stub), so DEV=true says so as Ink does when they are not installed.
// The build fails if either module no longer reads as this expects.
import { readFile } from 'node:fs/promises';

const swaps = [
  {
    filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/,
    from: [['const Yoga = wrapAssembly(await loadYoga());\nexport default Yoga;', 'let Yoga;\nexport const yogaReady = loadYoga().then((m) => {\n  Yoga = wrapAssembly(m);\n});\nexport { Yoga as default };']],
  },
  {
    filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/,
    from: [
      ["await import('./devtools.js');", "throw Object.assign(new Error('no devtools in this bundle'), { code: 'ERR_MODULE_NOT_FOUND' });"],
      ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
    ],
  },
];

export const cjsTopLevel = {
  name: 'cjs-top-level',
  setup(b) {
    for (const s of swaps) {
      b.onLoad({ filter: s.filter }, async (args) => {
        let src = await readFile(args.path, 'utf8');
        for (const [from, to] of s.from) {
          if (src.split(from).length !== 2) throw new Error(`cjs-top-level: ${args.path} no longer contains ${JSON.stringify(from)}; update scripts/cjs-top-level.mjs`);
          src = src.replace(from, to);
        }
        return { contents: src, loader: 'js' };
      });
    }
  },
};
