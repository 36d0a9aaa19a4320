// types of scripts/lazy-unicode.mjs, for the tests that import it
export declare const SEGMENTER_HELPER: string;
export declare function lazyUnicode(src: string, path: string): string;
export declare const lazyUnicodePlugin: { name: string; setup(b: unknown): void };
