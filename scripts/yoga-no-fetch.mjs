// esbuild plugin: yoga-layout's Emscripten loader reads its own wasm, embedded as a data: URL,
// with fetch() when fetch exists. In node that loads undici (about 15 ms of onedeck's first frame:
// undici's modules, then its data: URL decoder). The bundle's copy takes the loader's other path,
// the same bytes decoded from the same base64 without fetch. The build fails if the loader changed.
import { readFile } from 'node:fs/promises';

const FROM = 'function ya(){return w||"function"!=typeof fetch?';
const TO = 'function ya(){return true?';

export const yogaNoFetch = {
  name: 'yoga-no-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      if (src.split(FROM).length !== 2) throw new Error(`yoga-no-fetch: ${args.path} no longer reads its wasm as this expects; update scripts/yoga-no-fetch.mjs`);
      return { contents: src.replace(FROM, TO), loader: 'js' };
    });
  },
};
