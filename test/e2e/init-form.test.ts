// `onedeck init` driven through tmux (issue 12): the form starts from the scw profile's zone and
// project, writes a commented onedeck.yaml that loads, hands over to the main screen, and never
// overwrites an existing file without asking.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { e2eHome, openTerminal, type Terminal } from '../harness/e2e.js';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const PROJECT = '11111111-2222-3333-4444-555555555555';
// the API on a closed loopback port: the main screen's sweep never leaves the machine
const h = e2eHome({ prefix: 'init', user: 'init-e2e', env: { SCW_ACCESS_KEY: '', SCW_SECRET_KEY: '', SCW_PROFILE: '', SCW_CONFIG_PATH: '', SCW_DEFAULT_ZONE: '', SCW_DEFAULT_PROJECT_ID: '', SCW_API_URL: '' } });
let t: Terminal;
const file = join(h.home, 'onedeck.yaml');

const LABELS = ['cluster name', 'Scaleway zone', 'Scaleway project id', 'hypervisor count', 'hypervisor names', 'private subnet', 'vm-to-vm subnet', 'OpenNebula version'];
/** ⏎ one field at a time (keys sent together would arrive as one chunk) */
async function enterTo(label: string): Promise<void> {
  const at = LABELS.indexOf(label);
  for (let i = 0; i < LABELS.length; i++) {
    if (new RegExp(`▸ ${LABELS[at]}`).test(t.capture())) return;
    const cur = LABELS.findIndex((l) => new RegExp(`▸ ${l}`).test(t.capture()));
    t.keys('Enter');
    await t.shows(new RegExp(`▸ ${LABELS[cur + 1]}`));
  }
}

/** an empty terminal: what an earlier run left on screen cannot match */
async function fresh(): Promise<void> {
  t.run('clear');
  await t.until('a cleared terminal', 10_000, (s) => (!s.includes('onedeck init') ? s : undefined));
}

/** the form reads keys (raw mode): before that, the terminal itself would eat ctrl-u */
async function formReady(): Promise<void> {
  await t.shows('onedeck init — a new onedeck.yaml');
  t.keys('Down');
  await t.shows(/▸ Scaleway zone/);
  t.keys('Up');
  await t.shows(/▸ cluster name/);
}

beforeAll(async () => {
  mkdirSync(join(h.home, 'config', 'scw'), { recursive: true });
  writeFileSync(
    join(h.home, 'config', 'scw', 'config.yaml'),
    `access_key: ${fakeAccessKey('A')}\nsecret_key: ${fakeSecretKey('1')}\ndefault_zone: nl-ams-1\ndefault_project_id: ${PROJECT}\napi_url: http://127.0.0.1:9\n`,
    { mode: 0o600 },
  );
  t = await openTerminal(h, { cols: 110, rows: 32 });
});
afterAll(() => {
  t?.kill();
  h.teardown();
});

describe('onedeck init', () => {
  it('fills the zone and project from the scw profile, writes a config that loads, and opens the main screen', async () => {
    t.startOnedeck(['init']);
    await formReady();
    const s = await t.shows(/Scaleway zone\s+nl-ams-1/);
    expect(s).toMatch(new RegExp(`Scaleway project id\\s+${PROJECT}`));
    t.keys('C-u');
    t.type('demo');
    await t.shows(/cluster name\s+demo/);
    await enterTo('hypervisor count');
    t.keys('C-u');
    t.type('3');
    await t.shows(/hypervisor count\s+3/);
    await enterTo('OpenNebula version');
    t.keys('Enter');
    // the main screen of the new config: its hosts at once, pending
    await t.shows(/demo · nl-ams-1/, 20_000);
    await t.shows('kvm-3');
    await t.quitOnedeck();
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# onedeck\.yaml — written by `onedeck init`/);
    expect(text).toContain('version: "7.0"');
    const c = loadConfigFile(file);
    expect(c.cluster).toBe('demo');
    expect(c.scaleway).toMatchObject({ zone: 'nl-ams-1', project_id: PROJECT });
    expect(c.hypervisors.map((x) => x.name)).toEqual(['kvm-1', 'kvm-2', 'kvm-3']);
    expect(c.opennebula.version).toBe('7.0');
    expect(c.networks).toEqual({ private_subnet: '10.16.0.0/20', vmtovm_subnet: '172.16.24.0/22' });
  });

  it('asks before overwriting; no leaves the file as it was, and esc writes nothing', async () => {
    const before = readFileSync(file, 'utf8');
    await fresh();
    t.startOnedeck(['init']);
    await formReady();
    t.keys('C-u');
    t.type('other');
    await t.shows(/cluster name\s+other/);
    await enterTo('OpenNebula version');
    t.keys('Enter');
    await t.shows('exists. Overwrite it? [y/N]');
    t.type('n');
    await t.shows('was left as it was');
    t.keys('Escape');
    await t.shows(/nothing written\.\s*\n\s*EXIT=0/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses values that would not load, saying why', async () => {
    await fresh();
    t.startOnedeck(['init']);
    await formReady();
    await enterTo('private subnet');
    t.keys('C-u');
    t.type('172.16.24.0/22');
    await t.shows(/private subnet\s+172\.16\.24\.0\/22/);
    await enterTo('OpenNebula version');
    t.keys('Enter');
    await t.shows('overlaps networks.private_subnet');
    t.keys('Escape');
    await t.shows(/nothing written/);
  });
});
