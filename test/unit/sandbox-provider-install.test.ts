// How the sandbox installs its provider: the filesystem-mirror layout tofu/terraform look for, the
// CLI config pointing at it, and onedeck.yaml naming that config (earlier sandboxes' stand-in tofu
// gives way to tools.tofu: auto).
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOnedeckYaml } from '../../src/sandbox/client-files.js';
import { cliConfigPath, installProvider, PROVIDER_VERSION, providerExecutable } from '../../src/sandbox/provider-install.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-provider-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the sandbox provider install', () => {
  it('lays out a filesystem mirror and a CLI config that uses it for scaleway/scaleway only', () => {
    expect(installProvider(dir, '/opt/onedeck/dist')).toBe(true);
    const exe = providerExecutable(dir);
    expect(exe).toBe(join(dir, 'terraform-plugins', 'registry.terraform.io', 'scaleway', 'scaleway', PROVIDER_VERSION, `linux_${process.arch === 'x64' ? 'amd64' : process.arch}`, `terraform-provider-scaleway_v${PROVIDER_VERSION}`));
    expect(PROVIDER_VERSION).toMatch(/^2\.(5[7-9]|[6-9]\d)\.\d+$/); // terraform/versions.tf: ~> 2.57
    accessSync(exe, constants.X_OK);
    expect(readFileSync(exe, 'utf8')).toMatch(/^#!\/bin\/sh\n(#.*\n)*exec ".*node[^"]*" "\/opt\/onedeck\/dist\/sandbox\/terraform-provider-scaleway\.js" "\$@"\n$/);
    accessSync(providerExecutable(dir, 'registry.opentofu.org'), constants.X_OK);
    const rc = readFileSync(cliConfigPath(dir), 'utf8');
    expect(rc).toContain(`filesystem_mirror {\n    path    = "${join(dir, 'terraform-plugins')}"`);
    expect(rc).toMatch(/include = \["registry\.terraform\.io\/scaleway\/scaleway", "registry\.opentofu\.org\/scaleway\/scaleway"\]/);
    expect(rc).toMatch(/direct \{\n {4}exclude = \["registry\.terraform\.io\/scaleway\/scaleway"/);
    // unchanged package: the lock file's hash stays valid
    expect(installProvider(dir, '/opt/onedeck/dist')).toBe(false);
    expect(installProvider(dir, '/elsewhere/dist')).toBe(true);
  });

  it('onedeck.yaml runs the real tofu/terraform with that CLI config, also in a sandbox that had the stand-in', () => {
    const s = createDefaultState({ repoRoot: '/nonexistent' });
    writeFileSync(join(dir, 'onedeck.yaml'), `tools:\n  tofu: ${join(dir, 'bin', 'tofu')}\n  ansible_playbook: ${join(dir, 'bin', 'ansible-playbook')}\n`);
    writeOnedeckYaml(dir, s);
    const doc = parse(readFileSync(join(dir, 'onedeck.yaml'), 'utf8')) as { tools: Record<string, string> };
    expect(doc.tools).toEqual({ tofu: 'auto', ansible_playbook: join(dir, 'bin', 'ansible-playbook'), terraform_cli_config: cliConfigPath(dir) });
  });
});
