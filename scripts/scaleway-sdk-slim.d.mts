// Types of the esbuild plugin in scaleway-sdk-slim.mjs (for its test).
import type { Plugin } from 'esbuild';
export declare const USED: string[];
export declare const scalewaySdkSlim: Plugin;
