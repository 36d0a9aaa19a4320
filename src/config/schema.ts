// The shape of onedeck.yaml, validated with zod. Keys are snake_case as in the file; `Config`
// is the validated, defaulted result the rest of the core uses.
import { z } from 'zod';
import { overlaps, parseCidr } from './cidr.js';

const hostName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, starting with a letter');

/**
 * terraform/variables.tf's cluster_name (^[a-z][a-z0-9-]{0,30}$): it prefixes every Scaleway
 * resource name, so the config refuses at load what `plan` would refuse later.
 */
export const CLUSTER_NAME_MAX = 31;
const clusterName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter')
  .max(CLUSTER_NAME_MAX, `must be at most ${CLUSTER_NAME_MAX} characters (terraform/variables.tf: it prefixes every Scaleway resource name)`);

/**
 * A string, never a number: YAML reads `6.10` unquoted as 6.1 and `7.0` as 7, which would point
 * OneDeploy at a package repository that does not exist.
 */
const oneVersion = z
  .string()
  .regex(/^\d+\.\d+(\.\d+)?$/, 'must be an OpenNebula version such as "7.0" or "6.10"');

const sshEndpoint = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
  })
  .strict();

const hostEntry = z
  .object({
    name: hostName,
    /** where onedeck reaches the host over SSH; without it, the tofu `inventory` output's public IP */
    ssh: sshEndpoint.optional(),
    /** the private (VLAN) IP; OpenNebula names the host by it */
    private_ip: z.string().optional(),
  })
  .strict();

/** a hypervisor may be written as a bare name: `hypervisors: [kvm-1, kvm-2]` */
const hypervisorEntry = z.union([hostName.transform((name) => ({ name })), hostEntry]);

const cidr = z.string().superRefine((text, ctx) => {
  const r = parseCidr(text);
  if (!r.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.problem, params: r.fix ? { fix: r.fix } : {} });
});

/** The zones Elastic Metal servers exist in (Baremetal.v1.API.LOCALITY of the SDK; a test keeps them equal). */
export const ELASTIC_METAL_ZONES = ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'nl-ams-2', 'pl-waw-2', 'pl-waw-3'] as const;

const zone = z
  .string()
  .regex(/^[a-z]{2}-[a-z]{3}-[1-9]$/, 'must be a Scaleway zone such as fr-par-2')
  .refine((z) => (ELASTIC_METAL_ZONES as readonly string[]).includes(z), `is not a zone with Elastic Metal servers (${ELASTIC_METAL_ZONES.join(', ')})`);
const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

export const configSchema = z
  .object({
    cluster: clusterName.describe('the name of this cloud'),
    scaleway: z
      .object({
        zone,
        region: z.string().regex(/^[a-z]{2}-[a-z]{3}$/, 'must be a Scaleway region such as fr-par').optional(),
        project_id: uuid,
        offer: z.string().min(1).default('EM-A610R-NVMe'),
        /** scw CLI profile to read credentials from (SCW_* variables win) */
        profile: z.string().optional(),
        /** path of the scw CLI config file, when not the default */
        config_path: z.string().optional(),
        /** a file (mode 0600) holding the IAM API key the Flexible-IP hooks use; SCW_FLEXIBLE_IP_TOKEN wins */
        flexible_ip_token_file: z.string().optional(),
      })
      .strict(),
    opennebula: z
      .object({
        version: oneVersion.default('7.0'),
        /** how onedeck runs OpenNebula's CLI on the frontend */
        command_prefix: z.string().default('sudo -n -u oneadmin'),
        /** a monitoring timestamp older than this is stale */
        stale_after_seconds: z.number().int().positive().default(300),
        /** a file (mode 0600) holding oneadmin's password for OneDeploy; ONE_PASSWORD wins */
        password_file: z.string().optional(),
      })
      .strict()
      .default({}),
    frontend: hostEntry,
    hypervisors: z.array(hypervisorEntry).default([]),
    networks: z
      .object({
        private_subnet: cidr.default('10.16.0.0/20'),
        vmtovm_subnet: cidr.default('172.16.24.0/22'),
      })
      .strict()
      .superRefine((n, ctx) => {
        const a = parseCidr(n.private_subnet);
        const b = parseCidr(n.vmtovm_subnet);
        if (a.ok && b.ok && overlaps(a.cidr, b.cidr)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['vmtovm_subnet'],
            message: `overlaps networks.private_subnet (${n.private_subnet})`,
            params: { hint: 'The hosts\' private network and the VMs\' vm-to-vm network need two subnets that do not overlap, for example private_subnet: 10.16.0.0/20 and vmtovm_subnet: 172.16.24.0/22.' },
          });
        }
      })
      .default({}),
    ssh: z
      .object({
        user: z.string().min(1).default('ubuntu'),
        key: z.string().optional(),
        known_hosts: z.string().optional(),
        /** an ssh_config file resolved with `ssh -G` (default: ~/.ssh/config) */
        config_file: z.string().optional(),
        /** reach hosts through the frontend (jump host) */
        jump_via_frontend: z.boolean().default(false),
        timeout_seconds: z.number().positive().default(5),
        /** hosts probed at once (each new one is an SSH login): a cold sweep of N hosts takes ~N/concurrency logins in a row */
        concurrency: z.number().int().positive().max(1024).default(256),
      })
      .strict()
      .default({}),
    paths: z
      .object({
        terraform: z.string().default('terraform'),
        ansible: z.string().default('ansible'),
        hooks: z.string().default('hooks'),
        /** the Ansible inventory onedeck renders (default: <ansible>/inventory/onedeck.yml) */
        inventory: z.string().optional(),
      })
      .strict()
      .default({}),
    tools: z
      .object({
        /** `auto` finds tofu, then terraform, on PATH */
        tofu: z.string().default('auto'),
        ansible_playbook: z.string().default('ansible-playbook'),
        /** a tofu/terraform CLI config file (provider mirror, plugin cache), passed as TF_CLI_CONFIG_FILE */
        terraform_cli_config: z.string().optional(),
      })
      .strict()
      .default({}),
    refresh_seconds: z.number().min(1).max(3600).default(10),
    readonly: z.boolean().default(false),
  })
  .strict();

type Parsed = z.output<typeof configSchema>;

export interface HostConfig {
  name: string;
  role: 'frontend' | 'hypervisor';
  ssh?: { host: string; port: number };
  private_ip?: string;
}

export type Config = Omit<Parsed, 'frontend' | 'hypervisors' | 'scaleway' | 'paths'> & {
  paths: Omit<Parsed['paths'], 'inventory'> & { inventory: string };
  scaleway: Parsed['scaleway'] & { region: string };
  frontend: HostConfig;
  hypervisors: HostConfig[];
  /** where the config came from, and the directory relative paths are resolved against */
  source: { file: string | null; dir: string; sandbox: boolean };
};
