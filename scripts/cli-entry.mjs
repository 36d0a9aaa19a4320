// The entry of dist/onedeck.cjs: onedeck (src/main.ts) once yoga-layout's wasm is ready (see
// scripts/cjs-top-level.mjs; an ES module build awaits it at the top level).
import { yogaReady } from 'yoga-layout';

yogaReady.then(
  () => import('../src/main.ts'),
  (err) => {
    process.stderr.write(`onedeck: the UI's layout engine (yoga-layout's wasm) did not load: ${err instanceof Error ? err.message : String(err)}\nReinstall onedeck (npm ci && npm run build).\n`);
    process.exit(70);
  },
);
