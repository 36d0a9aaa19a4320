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
import { pathToFileURL } from 'node:url';
import { lazyUnicode } from './lazy-unicode.mjs';

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
        // texts of SGR codes and narrow characters: cells hold a character and the styles in
        // force there (one array per run, not per cell); the codes between two cells are Ink's
        // (diffAnsiCodes of their styles, nothing between cells of the same styles)
        const runs = [];
        for (let i = 1; i < writes.length; i += 2) {
            const r = this.caches.getRuns(writes[i]);
            if (r === null) return this.renderStyledRow(writes);
            runs.push(r);
        }
        const chars = new Array(this.width).fill(' ');
        const styles = new Array(this.width).fill(NO_STYLES);
        for (let i = 0; i < writes.length; i += 2) {
            let offsetX = writes[i];
            for (const run of runs[i / 2]) {
                const text = run.text;
                for (let c = 0; c < text.length; c++) {
                    chars[offsetX] = text[c];
                    styles[offsetX] = run.styles;
                    offsetX++;
                }
            }
        }
        let out = '';
        let prev;
        for (let x = 0; x < chars.length; x++) {
            const ch = chars[x];
            if (ch === undefined) continue;
            const st = styles[x];
            if (prev === undefined) out += ansiCodesToString(st);
            else if (st !== prev) out += ansiCodesToString(diffAnsiCodes(prev, st));
            out += ch;
            prev = st;
        }
        if (prev !== undefined) out += ansiCodesToString(diffAnsiCodes(prev, []));
        return out.trimEnd();
    }
    renderStyledRow(writes) {
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
// of each character's width, measured by string-width itself when the bundle is built.
const STRING_WIDTH_FAST = `
// per code unit: -2 not solo, else its width, measured at build time by this very string-width
// (measuring one at run time built its grapheme segmenter and RGI_Emoji regex: ~35 ms of the
// first frame, for the first "⏎")
// (read from the string itself: decoding it into an array at load ran a callback 11 264 times, ~1.2 ms)
const soloWidths = __SOLO_WIDTHS__;
function soloWidth(c) {
	const w = soloWidths.charCodeAt(c);
	return w === 120 ? -2 : w - 48;
}
// characters string-width measures one column wide, each its own cluster (checked character by
// character in test/unit/ink-output-cache.test.ts): a text of only these is as wide as it is long
const NARROW_TEXT = /^[\\x20-\\x7e\\u00a0-\\u00ac\\u00ae-\\u02ff\\u2010-\\u2027\\u2030-\\u205e\\u2190-\\u21ff\\u2500-\\u25fc\\u25ff]*$/;
/** The width of a text of solo characters (the sum of theirs), or -1 */
function soloTextWidth(s) {
	if (NARROW_TEXT.test(s)) return s.length;
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

// code units that never join a neighbour into one grapheme cluster (no marks, joiners,
// variation selectors, surrogates, Hangul jamo, controls): Latin, general punctuation, symbols,
// arrows, box drawing, blocks, geometric shapes, dingbats
const isSoloUnit = (c) => (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0x2ff) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) || (c >= 0x2070 && c <= 0x20cf) || (c >= 0x2100 && c <= 0x2bff);
/** The width of each code unit under 0x2c00 as the string-width at `file` measures it alone ('x': not solo). */
async function soloWidthTable(file) {
  const { default: stringWidth } = await import(pathToFileURL(file).href);
  let out = '';
  for (let c = 0; c < 0x2c00; c++) {
    const w = isSoloUnit(c) ? stringWidth(String.fromCharCode(c)) : -2;
    if (w !== -2 && (w < 0 || w > 2)) throw new Error(`ink-output-cache: ${file} measures U+${c.toString(16)} ${w} columns wide; update scripts/ink-output-cache.mjs`);
    out += w === -2 ? 'x' : String(w);
  }
  return out;
}

// Ink's incremental renderer rewrites a changed row whole (200 columns of a bordered row for one
// changed word). The bundle writes only the changed columns of the row: from the first cell that
// differs to the last one (to the end, then erase, when the row got shorter or longer), each cell
// with the styles Ink drew it with. Rows of anything but SGR codes and narrow characters are
// written whole, as Ink does.
const LOG_UPDATE_FROM = `            buffer.push(ansiEscapes.cursorTo(0) +
                nextLines[i] +
                ansiEscapes.eraseEndLine +`;
const LOG_UPDATE_TO = `            buffer.push(changedColumns(previousLines[i], nextLines[i]) +`;
const LOG_UPDATE_HELPERS = `
import { ansiCodesToString as __codes, diffAnsiCodes as __diff, reduceAnsiCodesIncremental as __reduce, tokenize as __tokenize } from '@alcalzone/ansi-tokenize';
import { isPlainNarrow as __narrow } from 'string-width';
// eslint-disable-next-line no-control-regex
const ROW_SGR = /\\x1b\\[[0-9;]*m/g;
const rowSgr = new Map();
const NONE = [];
/** a row Ink drew as cells (characters and the styles in force at each), or null */
function rowCells(line) {
    const chars = [];
    const styles = [];
    let codes = NONE;
    let at = 0;
    ROW_SGR.lastIndex = 0;
    for (;;) {
        const m = ROW_SGR.exec(line);
        const end = m ? m.index : line.length;
        if (end > at) {
            const part = line.slice(at, end);
            if (part.includes('\\x1b') || !__narrow(part)) return null;
            for (let c = 0; c < part.length; c++) {
                chars.push(part[c]);
                styles.push(codes);
            }
        }
        if (!m) break;
        let tokens = rowSgr.get(m[0]);
        if (tokens === undefined) {
            tokens = __tokenize(m[0]);
            if (tokens.some((t) => t.type !== 'ansi')) tokens = null;
            if (rowSgr.size > 1000) rowSgr.clear();
            rowSgr.set(m[0], tokens);
        }
        if (tokens === null) return null;
        for (const token of tokens) codes = __reduce(codes, [token]);
        at = ROW_SGR.lastIndex;
    }
    return { chars, styles };
}
// two cells' styles are the same when no code leads from one to the other (remembered per pair
// of style arrays: a row's cells share their run's array)
const sameMemo = new WeakMap();
function sameStyles(a, b) {
    if (a === b) return true;
    let m = sameMemo.get(a);
    if (m === undefined) sameMemo.set(a, (m = new WeakMap()));
    let v = m.get(b);
    if (v === undefined) {
        v = __codes(__diff(a, b)) === '';
        m.set(b, v);
    }
    return v;
}
function changedColumns(prev, next) {
    const whole = ansiEscapes.cursorTo(0) + next + ansiEscapes.eraseEndLine;
    if (prev === undefined) return whole;
    const a = rowCells(prev);
    const b = a && rowCells(next);
    if (!a || !b) return whole;
    const n = Math.min(a.chars.length, b.chars.length);
    let from = 0;
    while (from < n && a.chars[from] === b.chars[from] && sameStyles(a.styles[from], b.styles[from])) from++;
    let to = b.chars.length;
    const sameLength = a.chars.length === b.chars.length;
    if (sameLength) while (to > from && a.chars[to - 1] === b.chars[to - 1] && sameStyles(a.styles[to - 1], b.styles[to - 1])) to--;
    let out = ansiEscapes.cursorTo(from);
    let last = NONE;
    for (let x = from; x < to; x++) {
        const st = b.styles[x];
        out += x === from ? __codes(st) : st === last ? '' : __codes(__diff(last, st));
        out += b.chars[x];
        last = st;
    }
    out += __codes(__diff(last, NONE));
    if (!sameLength) out += ansiEscapes.eraseEndLine;
    return out.length < whole.length ? out : whole;
}
`;

// slice-ansi (Ink's clips, <Text wrap="truncate">) segments every text into graphemes before
// cutting it. A text of SGR codes and solo one-column characters gets the same tokens without:
// each character is its own grapheme, one column wide (checked once per character with
// slice-ansi's own grapheme width); anything else goes the original way.
const SLICE_FROM = 'export default function tokenizeAnsi(string, {endCharacter = Number.POSITIVE_INFINITY} = {}) {\n';
const SLICE_FAST = `
const isSoloChar = (c) => (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0x2ff) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) || (c >= 0x2070 && c <= 0x20cf) || (c >= 0x2100 && c <= 0x2bff);
// per code unit: 0 not looked at, 1 a solo one-column character, 2 anything else
const narrowChars = new Uint8Array(0x2c00);
function isNarrowChar(c) {
	if (c >= 0x2c00) return false;
	let v = narrowChars[c];
	if (v === 0) {
		v = isSoloChar(c) && getGraphemeWidth(String.fromCharCode(c)) === 1 ? 1 : 2;
		narrowChars[c] = v;
	}
	return v === 1;
}
function narrowTokens(string, endCharacter) {
	const tokens = [];
	let index = 0;
	let visibleCount = 0;
	while (index < string.length) {
		const c = string.charCodeAt(index);
		if (ESCAPES.has(c)) {
			const code = parseAnsiCode(string, index);
			if (!code || code.token.type !== 'sgr') return undefined;
			tokens.push(code.token);
			index = code.endIndex;
			continue;
		}
		if (!isNarrowChar(c)) return undefined;
		tokens.push({type: 'character', value: string[index], visibleWidth: 1, isGraphemeContinuation: false});
		index++;
		visibleCount++;
		if (visibleCount >= endCharacter) {
			appendTrailingAnsiTokens(string, index, tokens);
			break;
		}
	}
	return tokens;
}
`;

export const inkOutputCache = {
  name: 'ink-output-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      for (const f of [SLICE_FROM, 'function appendTrailingAnsiTokens(string, index, tokens) {', 'function getGraphemeWidth(grapheme) {', 'function parseAnsiCode(']) {
        if (!src.includes(f)) throw new Error(`ink-output-cache: ${args.path} no longer contains ${JSON.stringify(f)}; update scripts/ink-output-cache.mjs`);
      }
      const fast = `${SLICE_FROM}\tconst narrow = narrowTokens(string, endCharacter);\n\tif (narrow) return narrow;\n`;
      return { contents: lazyUnicode(src.replace(SLICE_FROM, fast), args.path) + SLICE_FAST, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      if (!src.includes(LOG_UPDATE_FROM)) throw new Error(`ink-output-cache: ${args.path} no longer writes a changed row as this expects; update scripts/ink-output-cache.mjs`);
      return { contents: src.replace(LOG_UPDATE_FROM, LOG_UPDATE_TO) + LOG_UPDATE_HELPERS, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      // string-width 8 (Ink's) and 7 (wrap-ansi's): the fast path goes before their segmenter loop
      const from = `\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};\n`;
      if (!src.includes('new Intl.Segmenter()') || !src.includes(from)) throw new Error(`ink-output-cache: ${args.path} is not the string-width this was written for; update scripts/ink-output-cache.mjs`);
      src = src.replace(from, `\tif (ambiguousIsNarrow) {\n\t\tconst solo = soloTextWidth(string);\n\t\tif (solo >= 0) return solo;\n\t}\n\n${from}`);
      return { contents: lazyUnicode(src, args.path) + STRING_WIDTH_FAST.replace('__SOLO_WIDTHS__', JSON.stringify(await soloWidthTable(args.path))), loader: 'js' };
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
    // a text as runs of narrow characters under one style ({ styles, text }), or null when it
    // holds anything else (wide or joined characters, escape codes other than SGR)
    runs = new Map();
    getRuns(text) {
        let cached = this.runs.get(text);
        if (cached !== undefined) return cached;
        cached = [];
        let codes = [];
        let at = 0;
        SGR.lastIndex = 0;
        for (;;) {
            const m = SGR.exec(text);
            const end = m ? m.index : text.length;
            if (end > at) {
                const part = text.slice(at, end);
                if (part.includes('\x1b') || !isPlainNarrow(part)) {
                    cached = null;
                    break;
                }
                cached.push({ styles: codes, text: part });
            }
            if (!m) break;
            const tokens = sgrTokens(m[0]);
            if (tokens === null) {
                cached = null;
                break;
            }
            for (const token of tokens) codes = reduceAnsiCodesIncremental(codes, [token]);
            at = SGR.lastIndex;
        }
        this.runs.set(text, cached);
        return cached;
    }
    trim() {
        for (const m of [this.widths, this.blockWidths, this.slices, this.rows, this.runs]) if (m.size > ${LIMIT}) m.clear();
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
      const imp = "import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';";
      if (!src.includes(imp)) fail(imp);
      src = src.replace(imp, "import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';");
      src += `
const NO_STYLES = [];
// eslint-disable-next-line no-control-regex
const SGR = /\\x1b\\[[0-9;]*m/g;
// the tokens of one SGR code, as Ink's tokenizer reads it (null: not only ANSI codes)
const sgrCache = new Map();
function sgrTokens(code) {
    let t = sgrCache.get(code);
    if (t === undefined) {
        t = tokenize(code);
        if (t.some((token) => token.type !== 'ansi')) t = null;
        if (sgrCache.size > 1000) sgrCache.clear();
        sgrCache.set(code, t);
    }
    return t;
}
`;
      src += `\nlet sharedCaches;\nfunction sharedOutputCaches() {\n    sharedCaches ??= new OutputCaches();\n    sharedCaches.trim();\n    return sharedCaches;\n}\n`;
      return { contents: src, loader: 'js' };
    });
  },
};
