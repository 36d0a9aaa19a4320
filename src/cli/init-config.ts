// `onedeck init`: the values the guided form asks for, their defaults (zone and project from the
// scw profile), the commented onedeck.yaml they become, and writing it. The form (views/init/)
// only edits values; everything here is the core's.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { scwConfigCandidates } from '../adapters/scaleway/credentials.js';
import { parseConfig } from '../config/load.js';
import { describeError } from '../errors.js';
import type { InitValues } from '../domain/init-form.js';
export type { InitValues };

/** the scw profile's default zone and project, where it has them */
export function initDefaults(env: NodeJS.ProcessEnv = process.env): InitValues {
  let zone = env.SCW_DEFAULT_ZONE ?? '';
  let project = env.SCW_DEFAULT_PROJECT_ID ?? '';
  const file = scwConfigCandidates({ scaleway: {} } as never, env).find((f) => existsSync(f));
  if (file) {
    try {
      const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
      const profiles = (doc.profiles ?? {}) as Record<string, Record<string, unknown>>;
      const name = env.SCW_PROFILE || (typeof doc.active_profile === 'string' ? doc.active_profile : 'default');
      const sec = { ...doc, ...(name !== 'default' ? profiles[name] ?? {} : {}) } as Record<string, unknown>;
      if (!zone && typeof sec.default_zone === 'string') zone = sec.default_zone;
      if (!project && typeof sec.default_project_id === 'string') project = sec.default_project_id;
    } catch {
      // a broken scw file: the form starts empty there, doctor says what is wrong
    }
  }
  return { cluster: 'one', zone: zone || 'fr-par-2', project_id: project, hypervisors: '2', hypervisor_names: '', private_subnet: '10.16.0.0/20', vmtovm_subnet: '172.16.24.0/22', opennebula_version: '7.0' };
}

export function hypervisorNames(v: Pick<InitValues, 'hypervisors' | 'hypervisor_names'>): string[] {
  const given = v.hypervisor_names.split(',').map((s) => s.trim()).filter(Boolean);
  if (given.length) return given;
  const n = Math.max(0, Math.min(64, Number.parseInt(v.hypervisors, 10) || 0));
  return Array.from({ length: n }, (_, i) => `kvm-${i + 1}`);
}

const q = (s: string) => JSON.stringify(s);

export function renderInitYaml(v: InitValues): string {
  const names = hypervisorNames(v);
  return `# onedeck.yaml — written by \`onedeck init\`. Credentials never go here: onedeck reads them
# from SCW_* variables or the scw CLI profile. \`onedeck doctor\` checks everything this needs.
cluster: ${q(v.cluster)}

scaleway:
  # the Elastic Metal zone and the project the servers are created in
  zone: ${q(v.zone)}
  project_id: ${q(v.project_id)}
  # offer: EM-A610R-NVMe     # the Elastic Metal offer (default)

opennebula:
  # a quoted string: an unquoted 6.10 would be read as the number 6.1
  version: ${q(v.opennebula_version)}

# the OpenNebula frontend; its address comes from the tofu outputs after apply
frontend:
  name: fe

# the KVM hosts; onedeck add / remove edit this list
hypervisors:${names.length ? '' : ' []'}
${names.map((n) => `  - ${q(n)}`).join('\n')}

networks:
  private_subnet: ${q(v.private_subnet)}   # the hosts' private network
  vmtovm_subnet: ${q(v.vmtovm_subnet)}  # the VMs' vm-to-vm network

ssh:
  user: ubuntu
  # key: ~/.ssh/id_ed25519   # default: your ssh config and agent
`.replace(/\n\n\n/g, '\n\n');
}

/** the rendered file checked as onedeck would load it: undefined when it loads, else why not */
export function checkInit(v: InitValues, file: string): string | undefined {
  try {
    parseConfig(renderInitYaml(v), file);
    return undefined;
  } catch (err) {
    return describeError(err).replace(/\n/g, ' — ').replace(`${file}:`, 'line ');
  }
}

/** write it (0644, atomically); an existing file only when `overwrite` */
export function writeInitConfig(file: string, v: InitValues, overwrite: boolean): void {
  if (existsSync(file) && !overwrite) throw new Error(`${file} exists`);
  const tmp = join(dirname(file), `.onedeck.yaml.${process.pid}.tmp`);
  writeFileSync(tmp, renderInitYaml(v), { mode: 0o644 });
  renameSync(tmp, file);
}
