// How the sandbox installs its Terraform provider: a filesystem mirror holding
// registry.terraform.io/scaleway/scaleway/<version>/<os_arch>/terraform-provider-scaleway_v<version>
// (a wrapper that runs dist/sandbox/terraform-provider-scaleway.js; the same under
// registry.opentofu.org for OpenTofu) and a CLI config file that points tofu/terraform at it,
// so `init` works offline. onedeck.yaml passes that file on as tools.terraform_cli_config.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './state.js';

/** A version terraform/versions.tf accepts (`~> 2.57`). */
export const PROVIDER_VERSION = '2.57.0';
export const PROVIDER_HOSTS = ['registry.terraform.io', 'registry.opentofu.org'] as const;
export const mirrorDir = (dir: string) => join(dir, 'terraform-plugins');
export const cliConfigPath = (dir: string) => join(dir, 'terraform.rc');

export function platform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `${process.platform}_${arch}`;
}

export function providerExecutable(dir: string, host: (typeof PROVIDER_HOSTS)[number] = 'registry.terraform.io'): string {
  return join(mirrorDir(dir), host, 'scaleway', 'scaleway', PROVIDER_VERSION, platform(), `terraform-provider-scaleway_v${PROVIDER_VERSION}`);
}

export function cliConfigText(dir: string): string {
  const include = PROVIDER_HOSTS.map((h) => `"${h}/scaleway/scaleway"`).join(', ');
  return [
    '# Written by the onedeck sandbox: tofu/terraform install scaleway/scaleway from the sandbox',
    "# provider's filesystem mirror (offline), every other provider as usual.",
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir(dir))}`,
    `    include = [${include}]`,
    '  }',
    '  direct {',
    `    exclude = [${include}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Write the mirror and the CLI config. True when the provider package changed: a dependency lock
 * file written for the old package (its h1: hash) no longer matches and must be re-made by init.
 */
export function installProvider(dir: string, distDir: string): boolean {
  const script = `#!/bin/sh\n# the onedeck sandbox's Scaleway provider\nexec "${process.execPath}" "${join(distDir, 'sandbox', 'terraform-provider-scaleway.js')}" "$@"\n`;
  let changed = false;
  for (const host of PROVIDER_HOSTS) {
    const exe = providerExecutable(dir, host);
    if (existsSync(exe) && readFileSync(exe, 'utf8') === script) continue;
    mkdirSync(join(exe, '..'), { recursive: true });
    writeFileAtomic(exe, script, 0o755);
    chmodSync(exe, 0o755);
    changed = true;
  }
  writeFileAtomic(cliConfigPath(dir), cliConfigText(dir), 0o644);
  return changed;
}

/** Forget what init installed (after the provider package changed). */
export function forgetInit(tfDir: string): void {
  rmSync(join(tfDir, '.terraform'), { recursive: true, force: true });
  rmSync(join(tfDir, '.terraform.lock.hcl'), { force: true });
}
