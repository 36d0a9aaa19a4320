// esbuild plugin: Ink 6.8 builds a new OutputCaches (string widths, styled characters) for every
// frame and re-cuts every clipped line with slice-ansi, so a frame costs the same whether one row
// or all of them changed. The bundle keeps one cache across frames (cleared when it grows past
// a bound) and caches the cut lines too. Results are the same strings as before: only work that
// was repeated frame after frame is skipped. Fails the build if Ink's code no longer matches.
import { readFile } from 'node:fs/promises';

const LIMIT = 20_000;

export const inkOutputCache = {
  name: 'ink-output-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      const swaps = [
        ['caches = new OutputCaches();', 'caches = sharedOutputCaches();'],
        ['return sliceAnsi(line, from, to);', 'return this.caches.getSlice(line, from, to);'],
        [
          'class OutputCaches {',
          `class OutputCaches {
    slices = new Map();
    getSlice(line, from, to) {
        const key = from + ',' + to + ',' + line;
        let cached = this.slices.get(key);
        if (cached === undefined) {
            cached = sliceAnsi(line, from, to);
            this.slices.set(key, cached);
        }
        return cached;
    }
    trim() {
        for (const m of [this.widths, this.blockWidths, this.styledChars, this.slices]) if (m.size > ${LIMIT}) m.clear();
    }`,
        ],
      ];
      for (const [from, to] of swaps) {
        if (!src.includes(from)) throw new Error(`ink-output-cache: ${args.path} no longer contains ${JSON.stringify(from)}; update scripts/ink-output-cache.mjs`);
        src = src.replace(from, to);
      }
      src += `\nlet sharedCaches;\nfunction sharedOutputCaches() {\n    sharedCaches ??= new OutputCaches();\n    sharedCaches.trim();\n    return sharedCaches;\n}\n`;
      return { contents: src, loader: 'js' };
    });
  },
};
