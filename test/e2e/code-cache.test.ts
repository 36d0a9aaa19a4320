// End to end: the UI's start leaves V8's code cache behind (src/cli/boot.ts), and the next start
// of the UI runs from it. Each start says in onedeck.log whether it used the cache; a cache V8
// rejects (it was made under other V8 flags than a fresh node's) costs every start its speed-up
// and a second compile, without any other sign.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, e2eHome, openTerminal, type E2eHome, type Terminal } from '../harness/e2e.js';
import { until } from '../harness/wait.js';

let h: E2eHome;
let t: Terminal | undefined;

beforeAll(() => {
  h = e2eHome({ prefix: 'code-cache', user: 'e2e' });
  h.startSandbox();
});

afterAll(() => {
  t?.kill();
  h?.teardown();
});

const cacheDir = () => join(h.home, '.cache', 'onedeck');
const cacheFiles = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()).filter((f) => f.endsWith('.v8')) : []);
const logFile = () => join(h.state, 'onedeck', 'onedeck.log');
const startsLogged = () =>
  [...(existsSync(logFile()) ? readFileSync(logFile(), 'utf8') : '').matchAll(/start: first frame at .*; code cache (\w+)/g)].map((m) => m[1]);

/** one start of the UI in a terminal of its own, until it has host data; then q */
async function oneStart(after?: () => Promise<unknown>): Promise<void> {
  t = await openTerminal(h, { cols: 160, rows: 40, command: `node ${CLI}; echo EXIT=$?; exec sleep 60` });
  await t.shows(/degraded/, 30_000);
  await after?.();
  t.keys('q');
  await t.shows(/EXIT=0/, 15_000);
  t.kill();
  t = undefined;
}

describe("V8's code cache of the UI", () => {
  it('the first start writes it once it has run a while, and the starts after it use it', async () => {
    let file = '';
    await oneStart(async () => {
      // written 2 s after a start that had none, with the sweep's code in it
      [file] = await until('the code cache to be written', () => (cacheFiles().length ? cacheFiles() : undefined), 20_000);
      // the UI changes a V8 flag of its own once the cache is written (src/main.ts)
      await until('the first start to log', () => (startsLogged().length === 1 ? true : undefined), 10_000);
    });
    await oneStart();
    await oneStart();
    expect(startsLogged()).toEqual(['none', 'used', 'used']);
    // a used cache is not written again
    expect(cacheFiles()).toEqual([file]);
  }, 120_000);
});
