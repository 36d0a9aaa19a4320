// The administrator's system file: force_readonly (all, or per Unix user or group), validated with
// file:line:col like onedeck.yaml, and nothing the user passes turns it off.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forcedReadonly, loadSystemConfigs, parseSystemConfig, processAccount, systemConfigFiles } from '../../src/config/system.js';
import { readonlyVerdict, tightenOnReload } from '../../src/cli/readonly.js';
import type { Session } from '../../src/session.js';
import type { CliArgs } from '../../src/cli/args.js';
import { OnedeckError } from '../../src/errors.js';

const F = '/etc/onedeck/config.yaml';
const config = { readonly: false, source: { file: '/home/a/onedeck.yaml', dir: '/home/a', sandbox: false } };
const alice = { user: 'alice', groups: ['alice', 'colleagues'] };
const ops = { user: 'ops', groups: ['ops', 'wheel'] };

function error(fn: () => unknown): OnedeckError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OnedeckError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('system config', () => {
  it('force_readonly: true makes everyone read-only; per user or group only those', () => {
    expect(forcedReadonly([parseSystemConfig('force_readonly: true\n', F)], ops)).toBe(`forced by ${F}`);
    const per = [parseSystemConfig('force_readonly:\n  users: [bob]\n  groups: [colleagues]\n', F)];
    expect(forcedReadonly(per, alice)).toBe(`forced by ${F} for group colleagues`);
    expect(forcedReadonly(per, { user: 'bob', groups: [] })).toBe(`forced by ${F} for user bob`);
    expect(forcedReadonly(per, ops)).toBeUndefined();
    expect(forcedReadonly([parseSystemConfig('force_readonly: false\n', F)], alice)).toBeUndefined();
    expect(forcedReadonly([parseSystemConfig('', F)], alice)).toBeUndefined();
  });

  it('bad values are reported at their file:line:col, exit 78', () => {
    const typo = error(() => parseSystemConfig('# admin\nforce_readonly:\n  users: [bob]\n  grups: [x]\n', F));
    expect(typo.message).toBe(`${F}:4:3: force_readonly has unknown key "grups".`);
    expect(typo.exitCode).toBe(78);
    const str = error(() => parseSystemConfig('force_readonly: "yes please"\n', F));
    expect(str.message).toBe(`${F}:1:17: force_readonly must be true, false, or a mapping of users: and groups: lists, got "yes please".`);
    const top = error(() => parseSystemConfig('force_read_only: true\n', F));
    expect(top.message).toMatch(new RegExp(`^${F}:1:1: the top level has unknown key "force_read_only"`));
    const yaml = error(() => parseSystemConfig('force_readonly: [true\n', F));
    expect(yaml.message).toMatch(new RegExp(`^${F}:\\d+:\\d+: this is not valid YAML`));
    expect(yaml.exitCode).toBe(78);
  });

  it('$ONEDECK_SYSTEM_CONFIG adds a file; it never replaces /etc/onedeck/config.yaml', () => {
    expect(systemConfigFiles({})).toEqual([F]);
    expect(systemConfigFiles({ ONEDECK_SYSTEM_CONFIG: '/tmp/x.yaml' })).toEqual([F, '/tmp/x.yaml']);
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-sys-'));
    const base = join(dir, 'etc.yaml');
    writeFileSync(base, 'force_readonly: true\n');
    // pointing the variable at an empty file does not lift what the base file forces
    writeFileSync(join(dir, 'empty.yaml'), '');
    const configs = loadSystemConfigs(systemConfigFiles({ ONEDECK_SYSTEM_CONFIG: join(dir, 'empty.yaml') }, base));
    expect(forcedReadonly(configs, ops)).toBe(`forced by ${base}`);
    expect(loadSystemConfigs([join(dir, 'missing.yaml')])).toEqual([]);
  });

  it('read-only comes from --readonly, ONEDECK_READONLY=1, readonly: true, or the administrator, who wins', () => {
    const none = { env: {}, system: [], account: alice };
    expect(readonlyVerdict(false, config, none)).toEqual({ readonly: false, forced: false });
    expect(readonlyVerdict(true, config, none)).toMatchObject({ readonly: true, reason: '--readonly' });
    expect(readonlyVerdict(false, config, { ...none, env: { ONEDECK_READONLY: '1' } })).toMatchObject({ readonly: true, reason: 'ONEDECK_READONLY' });
    expect(readonlyVerdict(false, config, { ...none, env: { ONEDECK_READONLY: '0' } }).readonly).toBe(false);
    expect(readonlyVerdict(false, { ...config, readonly: true }, none)).toMatchObject({ readonly: true, reason: 'readonly: true in /home/a/onedeck.yaml' });
    const forced = readonlyVerdict(false, config, { env: { ONEDECK_READONLY: '0', USER: 'ops' }, system: [parseSystemConfig('force_readonly: { groups: [colleagues] }', F)], account: alice });
    expect(forced).toEqual({ readonly: true, forced: true, reason: `forced by ${F} for group colleagues` });
  });

  it("the account is the process's real one, not $USER", () => {
    const prev = process.env.USER;
    process.env.USER = 'someone-else';
    try {
      expect(processAccount().user).not.toBe('someone-else');
    } finally {
      process.env.USER = prev;
    }
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-grp-'));
    writeFileSync(join(dir, 'group'), `colleagues:x:4242:${processAccount().user},bob\nother:x:4343:bob\n`);
    expect(processAccount(join(dir, 'group')).groups).toContain('colleagues');
    expect(processAccount(join(dir, 'group')).groups).not.toContain('other');
  });

  it(':reload can make a session read-only (the config, the administrator), never writable', () => {
    const s: Session = { id: 's', readonly: false, user: 'alice' };
    expect(tightenOnReload(s, readonlyVerdict(false, config, { env: {}, system: [], account: alice }))).toBe(false);
    expect(s.readonly).toBe(false);
    expect(tightenOnReload(s, readonlyVerdict(false, { ...config, readonly: true }, { env: {}, system: [], account: alice }))).toBe(true);
    expect(s).toMatchObject({ readonly: true, readonlyReason: 'readonly: true in /home/a/onedeck.yaml', readonlyForced: false });
    // readonly: false in the next config does not lift it
    expect(tightenOnReload(s, readonlyVerdict(false, config, { env: {}, system: [], account: alice }))).toBe(false);
    expect(s.readonly).toBe(true);
  });

  it('onedeck info says whether read-only is forced for this user, and by which file', async () => {
    const { printInfo } = await import('../../src/cli/info.js');
    const { resolvePaths } = await import('../../src/paths.js');
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-info-'));
    const file = join(dir, 'system.yaml');
    writeFileSync(file, 'force_readonly: true\n');
    const args: CliArgs = { command: 'info', rest: [], sandbox: true, readonly: false, json: false, noColor: false, debug: false, yes: false, list: false };
    const env = { HOME: dir, ONEDECK_SYSTEM_CONFIG: file };
    expect(printInfo(args, resolvePaths(env), dir, env)).toMatch(new RegExp(`^system config +${F}, ${file}: read-only forced by ${file}$`, 'm'));
    writeFileSync(file, 'force_readonly: false\n');
    expect(printInfo(args, resolvePaths(env), dir, env)).toMatch(/^system config .*: read-only not forced for this user$/m);
  });
});
