// Turns onedeck.yaml into the root module's inputs (terraform/variables.tf declares exactly these
// keys) and writes them as onedeck.auto.tfvars.json, which tofu loads without any -var flag.
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { OnedeckError } from '../../errors.js';

const TFVARS_FILE = 'onedeck.auto.tfvars.json';
const DEFAULT_OS_NAME = 'Ubuntu 24.04';

export interface Tfvars {
  cluster_name: string;
  zone: string;
  region: string;
  project_id: string;
  offer: string;
  os_name: string;
  frontend_name: string;
  /** a set in HCL: sorted, no duplicates, so the file is stable across runs */
  hypervisors: string[];
  private_subnet: string;
  vmtovm_subnet: string;
  ssh_public_key: string;
}

export function buildTfvars(config: Config, sshPublicKey: string): Record<string, unknown> {
  const key = sshPublicKey.trim();
  if (!/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(key)) {
    throw new OnedeckError('the SSH public key for the servers is not an OpenSSH public key.', {
      hint: 'Point ssh.key in onedeck.yaml at a private key whose .pub file sits next to it (ssh-keygen -t ed25519).',
    });
  }
  const vars: Tfvars = {
    cluster_name: config.cluster,
    zone: config.scaleway.zone,
    region: config.scaleway.region,
    project_id: config.scaleway.project_id,
    offer: config.scaleway.offer,
    os_name: DEFAULT_OS_NAME,
    frontend_name: config.frontend.name,
    hypervisors: [...new Set(config.hypervisors.map((h) => h.name))].sort(),
    private_subnet: config.networks.private_subnet,
    vmtovm_subnet: config.networks.vmtovm_subnet,
    ssh_public_key: key,
  };
  return { ...vars };
}

/** Write `<dir>/onedeck.auto.tfvars.json` atomically (temp file + rename), mode 0600. */
export async function writeTfvars(dir: string, vars: Record<string, unknown>): Promise<string> {
  const target = join(dir, TFVARS_FILE);
  const tmp = join(dir, `.${TFVARS_FILE}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(vars, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, target);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new OnedeckError(`cannot write ${target}: ${(cause as Error).message}.`, {
      hint: 'Check that the terraform directory (paths.terraform in onedeck.yaml) exists and is writable.',
      cause,
    });
  }
  return target;
}
