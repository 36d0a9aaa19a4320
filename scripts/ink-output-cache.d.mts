// Types of the esbuild plugin in ink-output-cache.mjs (for its test).
import type { Plugin } from 'esbuild';
export declare const inkOutputCache: Plugin;
