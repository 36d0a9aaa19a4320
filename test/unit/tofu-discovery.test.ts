// Which tofu/terraform a job runs (tools.tofu: auto finds tofu, else terraform), what the plan and
// apply keys say when there is neither, and the CLI config (tools.terraform_cli_config) its env carries.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTofu, tofuEnv } from '../../src/adapters/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-tofu-find-'));
const exe = (name: string) => {
  const f = join(dir, name);
  writeFileSync(f, '#!/bin/sh\n');
  chmodSync(f, 0o755);
  return f;
};
const config = (tools: { tofu: string; terraform_cli_config?: string }) => ({ tools: { ansible_playbook: 'ansible-playbook', ...tools }, source: { file: join(dir, 'onedeck.yaml'), dir, sandbox: false } });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tofu discovery', () => {
  it('with neither binary on PATH, says how to install one', () => {
    expect(() => findTofu(config({ tofu: 'auto' }), { PATH: dir })).toThrow(/^neither tofu nor terraform found on PATH — install OpenTofu >= 1\.8 or set tools\.tofu in onedeck\.yaml$/);
    try {
      findTofu(config({ tofu: 'auto' }), { PATH: dir });
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/opentofu\.org\/docs\/intro\/install/);
    }
  });

  it('finds terraform, and prefers tofu', () => {
    const tf = exe('terraform');
    expect(findTofu(config({ tofu: 'auto' }), { PATH: dir })).toBe(tf);
    const tofu = exe('tofu');
    expect(findTofu(config({ tofu: 'auto' }), { PATH: dir })).toBe(tofu);
  });

  it('passes tools.terraform_cli_config as TF_CLI_CONFIG_FILE (relative to onedeck.yaml)', () => {
    expect(tofuEnv(config({ tofu: 'auto' }))).not.toHaveProperty('TF_CLI_CONFIG_FILE');
    expect(tofuEnv(config({ tofu: 'auto', terraform_cli_config: 'mirror.tfrc' })).TF_CLI_CONFIG_FILE).toBe(join(dir, 'mirror.tfrc'));
    expect(tofuEnv(config({ tofu: 'auto', terraform_cli_config: '/etc/onedeck/tf.rc' }))).toMatchObject({ TF_CLI_CONFIG_FILE: '/etc/onedeck/tf.rc', TF_INPUT: '0', TF_IN_AUTOMATION: '1' });
  });
});
