// esbuild plugin: Ink 6.8 rebuilds the whole screen for every frame, so a frame costs the same
// whether one row or all of them changed: a new OutputCaches (string widths, styled characters)
// per frame, every clipped line re-cut with slice-ansi, and every row's cells re-made and turned
// back into a string. The bundle keeps one cache across frames (cleared when it grows past a
// bound), caches the cut lines, and reuses a row's string when the same texts were written at
// the same columns of that row as in an earlier frame. Output.get() below is Ink's own code with
// those caches added: the same strings come out, only work repeated frame after frame is
// skipped. It also caches the width of each text node (measured again on every frame) and bounds
// Ink's own caches of measured and wrapped texts, which kept every text ever drawn (each log line
// that scrolled by, all day). The build fails if Ink's code no longer matches what this replaces.
import { readFile } from 'node:fs/promises';

const LIMIT = 5_000;
// about two screens of written texts
const STYLED_LIMIT = 400;

const GET = `    get() {
        const rows = [];
        for (let y = 0; y < this.height; y++) rows.push([]);
        const clips = [];
        for (const operation of this.operations) {
            if (operation.type === 'clip') {
                clips.push(operation.clip);
            }
            if (operation.type === 'unclip') {
                clips.pop();
            }
            if (operation.type === 'write') {
                const { text, transformers } = operation;
                let { x, y } = operation;
                let lines = text.split('\\n');
                const clip = clips.at(-1);
                if (clip) {
                    const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
                    const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
                    if (clipHorizontally) {
                        const width = this.caches.getWidestLine(text);
                        if (x + width < clip.x1 || x > clip.x2) {
                            continue;
                        }
                    }
                    if (clipVertically) {
                        const height = lines.length;
                        if (y + height < clip.y1 || y > clip.y2) {
                            continue;
                        }
                    }
                    if (clipHorizontally) {
                        lines = lines.map(line => {
                            const from = x < clip.x1 ? clip.x1 - x : 0;
                            const width = this.caches.getStringWidth(line);
                            const to = x + width > clip.x2 ? clip.x2 - x : width;
                            return this.caches.getSlice(line, from, to);
                        });
                        if (x < clip.x1) {
                            x = clip.x1;
                        }
                    }
                    if (clipVertically) {
                        const from = y < clip.y1 ? clip.y1 - y : 0;
                        const height = lines.length;
                        const to = y + height > clip.y2 ? clip.y2 - y : height;
                        lines = lines.slice(from, to);
                        if (y < clip.y1) {
                            y = clip.y1;
                        }
                    }
                }
                let offsetY = 0;
                for (let [index, line] of lines.entries()) {
                    const row = rows[y + offsetY];
                    if (!row) {
                        continue;
                    }
                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    row.push(x, line);
                    offsetY++;
                }
            }
        }
        const generatedOutput = rows.map(writes => {
            let key = String(this.width);
            for (let i = 0; i < writes.length; i += 2) key += ' ' + writes[i] + ':' + writes[i + 1].length + ':' + writes[i + 1];
            let cached = this.caches.rows.get(key);
            if (cached === undefined) {
                cached = this.renderRow(writes);
                this.caches.rows.set(key, cached);
            }
            return cached;
        }).join('\\n');
        return {
            output: generatedOutput,
            height: rows.length,
        };
    }
    renderRow(writes) {
        // plain narrow texts (no escape codes, every character one column): the cells are the
        // characters themselves, no styled-character objects needed
        let plain = true;
        for (let i = 1; i < writes.length && plain; i += 2) plain = isPlainNarrow(writes[i]);
        if (plain) {
            const cells = new Array(this.width).fill(' ');
            for (let i = 0; i < writes.length; i += 2) {
                const text = writes[i + 1];
                for (let c = 0; c < text.length; c++) cells[writes[i] + c] = text[c];
            }
            return cells.join('').trimEnd();
        }
        const currentLine = [];
        for (let x = 0; x < this.width; x++) {
            currentLine.push({
                type: 'char',
                value: ' ',
                fullWidth: false,
                styles: [],
            });
        }
        for (let i = 0; i < writes.length; i += 2) {
            const characters = this.caches.getStyledChars(writes[i + 1]);
            let offsetX = writes[i];
            for (const character of characters) {
                currentLine[offsetX] = character;
                const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
                if (characterWidth > 1) {
                    for (let index = 1; index < characterWidth; index++) {
                        currentLine[offsetX + index] = {
                            type: 'char',
                            value: '',
                            fullWidth: false,
                            styles: character.styles,
                        };
                    }
                }
                offsetX += characterWidth;
            }
        }
        const lineWithoutEmptyItems = currentLine.filter(item => item !== undefined);
        return styledCharsToString(lineWithoutEmptyItems).trimEnd();
    }
}
`;

// string-width measures every text with a grapheme segmenter unless it is printable ASCII: a
// bordered row (│ ─ ▸ ·) went through Intl.Segmenter cluster by cluster on every measure. Most
// BMP symbols and Latin letters never join a neighbour into one cluster, so their width is the sum
// of each character's width, each measured once by string-width itself and remembered.
const STRING_WIDTH_FAST = `
// code units that never join a neighbour into one grapheme cluster (no marks, joiners,
// variation selectors, surrogates, Hangul jamo, controls): Latin, general punctuation, symbols,
// arrows, box drawing, blocks, geometric shapes, dingbats
const isSolo = (c) => (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0x2ff) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) || (c >= 0x2070 && c <= 0x20cf) || (c >= 0x2100 && c <= 0x2bff);
// per code unit: -1 not measured yet, -2 not solo (or being measured), else its width
const soloWidths = new Int8Array(0x2c00).fill(-1);
function soloWidth(c) {
	let w = soloWidths[c];
	if (w === -1) {
		soloWidths[c] = -2;
		w = isSolo(c) ? stringWidth(String.fromCharCode(c)) : -2;
		soloWidths[c] = w;
	}
	return w;
}
/** The width of a text of solo characters (the sum of theirs), or -1 */
function soloTextWidth(s) {
	let width = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const w = c < 0x2c00 ? soloWidth(c) : -2;
		if (w < 0) return -1;
		width += w;
	}
	return width;
}
/** No escape codes, and every character a solo one column wide: columns are string indexes. */
export function isPlainNarrow(s) {
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c === 0x1b || c >= 0x2c00 || soloWidth(c) !== 1) return false;
	}
	return true;
}
`;

export const inkOutputCache = {
  name: 'ink-output-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      // string-width 8 (Ink's) and 7 (wrap-ansi's): the fast path goes before their segmenter loop
      const from = `\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};\n`;
      if (!src.includes('new Intl.Segmenter()') || !src.includes(from)) throw new Error(`ink-output-cache: ${args.path} is not the string-width this was written for; update scripts/ink-output-cache.mjs`);
      src = src.replace(from, `\tif (ambiguousIsNarrow) {\n\t\tconst solo = soloTextWidth(string);\n\t\tif (solo >= 0) return solo;\n\t}\n\n${from}`);
      return { contents: src + STRING_WIDTH_FAST, loader: 'js' };
    });
    // Ink's own caches of text sizes and wrapped texts keep every text ever drawn (every log
    // line that scrolled by, all day long): bounded here
    const bound = (file, swaps) =>
      b.onLoad({ filter: new RegExp(`[\\\\/]ink[\\\\/]build[\\\\/]${file.replace('.', '\\.')}$`) }, async (args) => {
        let src = await readFile(args.path, 'utf8');
        for (const [from, to] of swaps) {
          if (!src.includes(from)) throw new Error(`ink-output-cache: ${args.path} no longer contains ${from}; update scripts/ink-output-cache.mjs`);
          src = src.replace(from, to);
        }
        return { contents: src, loader: 'js' };
      });
    bound('measure-text.js', [['cache.set(text, dimensions);', `if (cache.size > ${LIMIT}) cache.clear();\n    cache.set(text, dimensions);`]]);
    bound('wrap-text.js', [
      ['const cache = {};', 'let cache = {};\nlet cachedCount = 0;'],
      ['cache[cacheKey] = wrappedText;', `if (++cachedCount > ${LIMIT}) {\n        cache = {};\n        cachedCount = 1;\n    }\n    cache[cacheKey] = wrappedText;`],
    ]);
    // the width of every text node was measured again on every frame
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      const from = 'const currentWidth = widestLine(text);';
      if (!src.includes(from)) throw new Error(`ink-output-cache: ${args.path} no longer contains ${from}; update scripts/ink-output-cache.mjs`);
      src = src.replace(from, 'const currentWidth = cachedWidestLine(text);');
      src += `\nconst widths = new Map();\nfunction cachedWidestLine(text) {\n    let w = widths.get(text);\n    if (w === undefined) {\n        if (widths.size > ${LIMIT}) widths.clear();\n        w = widestLine(text);\n        widths.set(text, w);\n    }\n    return w;\n}\n`;
      return { contents: src, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      const fail = (what) => {
        throw new Error(`ink-output-cache: ${args.path} no longer contains ${what}; update scripts/ink-output-cache.mjs`);
      };
      const swaps = [
        ['caches = new OutputCaches();', 'caches = sharedOutputCaches();'],
        [
          'class OutputCaches {',
          `class OutputCaches {
    slices = new Map();
    rows = new Map();
    getSlice(line, from, to) {
        if (isPlainNarrow(line)) return line.slice(from, to);
        const key = from + ',' + to + ',' + line;
        let cached = this.slices.get(key);
        if (cached === undefined) {
            cached = sliceAnsi(line, from, to);
            this.slices.set(key, cached);
        }
        return cached;
    }
    trim() {
        for (const m of [this.widths, this.blockWidths, this.slices, this.rows]) if (m.size > ${LIMIT}) m.clear();
        // a line's styled characters are one object per cell: few are kept (rows are cached whole)
        if (this.styledChars.size > ${STYLED_LIMIT}) this.styledChars.clear();
    }`,
        ],
      ];
      for (const [from, to] of swaps) {
        if (!src.includes(from)) fail(JSON.stringify(from));
        src = src.replace(from, to);
      }
      // Ink's get() as this file was written for (ink 6.8.0), checked by a few of its lines
      const at = src.indexOf('    get() {');
      if (at < 0) fail('get()');
      const old = src.slice(at);
      for (const line of ['const lineWithoutEmptyItems = line.filter(item => item !== undefined);', 'return sliceAnsi(line, from, to);', 'const characters = this.caches.getStyledChars(line);', 'offsetY++;']) {
        if (!old.includes(line)) fail(JSON.stringify(line));
      }
      src = src.slice(0, at) + GET;
      src = src.replace("import stringWidth from 'string-width';", "import stringWidth, { isPlainNarrow } from 'string-width';");
      src += `\nlet sharedCaches;\nfunction sharedOutputCaches() {\n    sharedCaches ??= new OutputCaches();\n    sharedCaches.trim();\n    return sharedCaches;\n}\n`;
      return { contents: src, loader: 'js' };
    });
  },
};
