// The bundle's copy of @scaleway/sdk's index (scripts/scaleway-sdk-slim.mjs) gives the products
// onedeck uses exactly as the whole index does, and nothing else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { scalewaySdkSlim, USED } from '../../scripts/scaleway-sdk-slim.mjs';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-sdk-slim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundle’s @scaleway/sdk', () => {
  it('has the products onedeck imports, as the whole index has them, and only those', async () => {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, "export * from '@scaleway/sdk';\n");
    const out = join(dir, 'sdk.mjs');
    const r = await build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', nodePaths: [join(process.cwd(), 'node_modules')], plugins: [scalewaySdkSlim], logLevel: 'silent', metafile: true });
    const slim = (await import(pathToFileURL(out).href)) as Record<string, Record<string, Record<string, unknown>>>;
    const whole = (await import('@scaleway/sdk')) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(slim).sort()).toEqual([...USED].sort());
    for (const name of USED) {
      expect(Object.keys(slim[name]).sort()).toEqual(Object.keys(whole[name]).sort());
      for (const v of Object.keys(whole[name])) expect(Object.keys(slim[name][v]).sort()).toEqual(Object.keys(whole[name][v]).sort());
    }
    // no other product is bundled
    expect(Object.keys(r.metafile.inputs).some((f) => f.includes('sdk-lb'))).toBe(false);
  });
});
