// Unicode machinery built when first used, not when its module loads. The string-width and
// ANSI-slicing modules build an Intl.Segmenter at load (the process's first one loads ICU's
// break-iterator data: ~8 ms) and string-width 8 the RGI_Emoji regex (~10 ms to parse). The
// first frame needs neither: its texts go through the fast paths of ink-output-cache.mjs. Here
// each is made on its first .segment() or .test() instead; nothing else about them changes.
// Used by ink-output-cache.mjs's handlers of those modules, and as a plugin for ansi-tokenize.
import { readFile } from 'node:fs/promises';

// A text of ASCII without a CR is one grapheme per character (CR LF is the only ASCII pair that
// joins), whatever the granularity: those are split here (Ink's SGR codes, "\x1b[1m", were the first
// frame's only texts through a segmenter: ~1.3 ms to build it). Callers iterate the segments or
// ask .containing(i).
export const SEGMENTER_HELPER = `
const __ASCII_NO_CR = /^[\\x00-\\x0c\\x0e-\\x7f]*$/;
function __lazySegmenter(...args) {
	let made;
	const graphemes = (args[1]?.granularity ?? 'grapheme') === 'grapheme';
	return {
		segment: (s) => {
			if (graphemes && __ASCII_NO_CR.test(s)) {
				const out = [];
				for (let i = 0; i < s.length; i++) out.push({ segment: s[i], index: i, input: s });
				// Segments.containing(i): the segment holding code unit i (slice-ansi uses it)
				out.containing = (i = 0) => out[Math.trunc(Number(i)) || 0];
				return out;
			}
			return (made ??= new Intl.Segmenter(...args)).segment(s);
		},
	};
}
`;
const RGI_FROM = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const RGI_TO = 'let rgiEmojiRegexMade;\nconst rgiEmojiRegex = { test: (s) => (rgiEmojiRegexMade ??= /^\\p{RGI_Emoji}$/v).test(s) };';

/** `src` (the module at `path`) with its segmenters, and string-width's RGI_Emoji regex, made on first use. */
export function lazyUnicode(src, path) {
  const fail = (what) => {
    throw new Error(`lazy-unicode: ${path} ${what}; update scripts/lazy-unicode.mjs`);
  };
  const made = [...src.matchAll(/const (\w+) = new Intl\.Segmenter\(/g)].map((m) => m[1]);
  if (made.length !== 1) fail(`makes ${made.length} segmenters where one was expected`);
  const [name] = made;
  // every use is a .segment() call (a plain object stands in for it); comments aside
  const code = src.replace(/\/\/.*$/gm, '');
  const uses = code.split(new RegExp(`\\b${name}\\b`)).length - 2;
  const segments = code.split(`${name}.segment(`).length - 1;
  if (uses !== segments) fail(`uses ${name} other than by .segment()`);
  let out = src.replace('new Intl.Segmenter(', '__lazySegmenter(') + SEGMENTER_HELPER;
  if (src.includes('rgiEmojiRegex')) {
    if (src.split(RGI_FROM).length !== 2) fail('declares rgiEmojiRegex differently');
    if (code.split(/\brgiEmojiRegex\b/).length - 2 !== code.split('rgiEmojiRegex.test(').length - 1) fail('uses rgiEmojiRegex other than by .test()');
    out = out.replace(RGI_FROM, RGI_TO);
  }
  return out;
}

export const lazyUnicodePlugin = {
  name: 'lazy-unicode',
  setup(b) {
    b.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/ }, async (args) => ({ contents: lazyUnicode(await readFile(args.path, 'utf8'), args.path), loader: 'js' }));
  },
};
