// The remote prerequisites: Scaleway credentials that work (one read-only call), the Elastic
// Metal offer's stock in the zone, and the OpenNebula frontend answering with its version.
import { Baremetal } from '@scaleway/sdk';
import type { Client, Zone } from '@scaleway/sdk-client';
import { createScalewayClient } from '../adapters/scaleway/client.js';
import { resolveScalewayCredentials } from '../adapters/scaleway/credentials.js';
import { scalewayError } from '../adapters/scaleway/errors.js';
import type { Config } from '../config/schema.js';
import { describeError } from '../errors.js';
import { fail, ok, parseVersion, warn, type CheckResult } from '../domain/doctor.js';
import { readKeyAccess } from '../adapters/scaleway/key-access.js';
import { FEATURE_WORDS, scalewayAccess, BECOME_FEATURES } from '../domain/credential-access.js';

const split = (err: unknown): { detail: string; fix?: string } => {
  const [detail, ...rest] = describeError(err).split('\n');
  return { detail, fix: rest.join(' ') || undefined };
};

/** Credentials, then (only when they work) the offer's stock: at most two read-only calls. */
export async function checkScaleway(config: Config, env: NodeJS.ProcessEnv, fetchImpl?: typeof fetch): Promise<CheckResult[]> {
  const title = 'Scaleway credentials';
  const { zone, project_id: projectId, offer } = config.scaleway;
  let client: Client;
  let source: string;
  let accessKey: string;
  try {
    const creds = resolveScalewayCredentials(config, env);
    source = creds.source;
    accessKey = creds.profile.accessKey;
    client = createScalewayClient(creds, { timeoutMs: 10_000, retries: 1, baseDelayMs: 300, maxDelayMs: 1000 }, fetchImpl);
  } catch (err) {
    const e = split(err);
    return [fail('scaleway', title, e.detail, e.fix), warn('stock', `Elastic Metal ${offer} stock`, 'not checked: the credentials do not work')];
  }
  const bm = new Baremetal.v1.API(client);
  try {
    const r = await bm.listServers({ zone: zone as Zone, projectId, pageSize: 1 });
    const n = r.totalCount;
    const out = [ok('scaleway', title, `from ${source}: project ${projectId}, zone ${zone} (${n} Elastic Metal server${n === 1 ? '' : 's'})`)];
    out.push(await checkKeyAccess(client, accessKey, projectId));
    out.push(await checkStock(bm, zone, offer));
    return out;
  } catch (err) {
    const e = split(scalewayError(err, `list Elastic Metal servers of project ${projectId} in ${zone}`));
    return [fail('scaleway', title, `from ${source}: ${e.detail}`, e.fix), warn('stock', `Elastic Metal ${offer} stock`, 'not checked: the credentials do not work')];
  }
}

/** What IAM says the key may do on the project, and what that leaves out. */
async function checkKeyAccess(client: Client, accessKey: string, projectId: string): Promise<CheckResult> {
  const title = 'Scaleway key permissions';
  try {
    const a = scalewayAccess(await readKeyAccess(client, accessKey), projectId);
    if (!a.determined) return warn('scaleway-permissions', title, a.summary, 'Give the key IAMReadOnly (organization scope) so onedeck can tell up front what it leaves out.');
    if (a.leftOut.length) return warn('scaleway-permissions', title, a.detail, `Add ${a.needs.join(', ')} on project ${projectId} to a policy of the key's ${a.bearer?.split(' ')[0] ?? 'bearer'}, or use another key.`);
    return ok('scaleway-permissions', title, a.detail);
  } catch (err) {
    const e = split(err);
    return warn('scaleway-permissions', title, e.detail, e.fix);
  }
}

/** Whether the SSH user may become root on the frontend without a password (Ansible's become). */
export async function checkSudo(config: Config, probe: FrontendProbe): Promise<CheckResult> {
  const title = 'sudo for the SSH user';
  const fe = config.frontend.name;
  const user = config.ssh.user;
  if (!probe.address || !probe.exec) return warn('sudo', title, `not checked: no address for ${fe} yet`, 'Deploy it first: p (plan), a (apply).');
  try {
    const r = await probe.exec('if [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then echo become-yes; else echo become-no; fi');
    if (r.stdout.includes('become-yes')) return ok('sudo', title, `${user} may become root on ${fe} without a password`);
    if (r.stdout.includes('become-no')) {
      const lost = BECOME_FEATURES.map((f) => FEATURE_WORDS[f]).join(', ');
      return warn('sudo', title, `${user} may not sudo on ${fe} without a password: ${lost} are left out`, `Give ${user} passwordless sudo (a sudoers.d line with NOPASSWD), or set ssh.user to a user who has it.`);
    }
    return warn('sudo', title, `could not tell on ${fe}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  } catch (err) {
    const e = split(err);
    return warn('sudo', title, `${fe} cannot be reached: ${e.detail}`, e.fix);
  }
}

async function checkStock(bm: InstanceType<typeof Baremetal.v1.API>, zone: string, offer: string): Promise<CheckResult> {
  const title = `Elastic Metal ${offer} stock`;
  try {
    const r = await bm.listOffers({ zone: zone as Zone, name: offer, pageSize: 100 });
    const found = r.offers.find((o) => o.name === offer);
    if (!found) {
      const names = r.offers.map((o) => o.name).slice(0, 5).join(', ');
      return fail('stock', title, `no offer named ${offer} in ${zone}${names ? ` (found: ${names})` : ''}`, 'Fix scaleway.offer in onedeck.yaml (scw baremetal offer list zone=' + zone + ').');
    }
    if (found.stock === 'available') return ok('stock', title, `available in ${zone}`);
    if (found.stock === 'low') return warn('stock', title, `low stock in ${zone}`, 'Order soon, or pick another zone or offer.');
    return fail('stock', title, `out of stock (${found.stock}) in ${zone}: new servers cannot be ordered`, 'Pick another zone (scaleway.zone) or offer (scaleway.offer), or wait for stock.');
  } catch (err) {
    const e = split(scalewayError(err, `list Elastic Metal offers in ${zone}`));
    return warn('stock', title, e.detail, e.fix);
  }
}

export interface FrontendProbe {
  /** the frontend's address, when one is known (onedeck.yaml ssh, else the tofu outputs) */
  address?: string;
  /** runs a command on the frontend */
  exec?: (command: string) => Promise<{ stdout: string; stderr: string; code: number | null }>;
}

export async function checkOpenNebula(config: Config, probe: FrontendProbe): Promise<CheckResult> {
  const title = 'OpenNebula frontend';
  const fe = config.frontend.name;
  if (!probe.address || !probe.exec) {
    return warn('opennebula', title, `no address for ${fe} yet: not deployed`, 'Deploy it: p (plan), a (apply), then d (deploy OpenNebula).');
  }
  const cmd = `${config.opennebula.command_prefix.trim()} onehost --version`.trim();
  let r: { stdout: string; stderr: string; code: number | null };
  try {
    r = await probe.exec(cmd);
  } catch (err) {
    const e = split(err);
    return fail('opennebula', title, `${fe} (${probe.address}) cannot be reached: ${e.detail}`, e.fix ?? 'Check that the server is up (onedeck status) and that your SSH key is on it.');
  }
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.code === 127 || /command not found/i.test(text)) {
    return warn('opennebula', title, `${fe} answers over SSH, but OpenNebula is not installed yet`, 'Deploy it: d (deploy OpenNebula).');
  }
  const m = /OpenNebula\s+(\d+\.\d+(?:\.\d+)?)/.exec(text);
  if (r.code !== 0 || !m) {
    return fail('opennebula', title, `\`${cmd}\` on ${fe} failed (exit ${r.code ?? 'signal'}): ${text.trim().split('\n')[0] ?? ''}`, 'Check that the SSH user may run commands as oneadmin (opennebula.command_prefix).');
  }
  const got = m[1];
  const want = config.opennebula.version;
  const [wa, wb] = parseVersion(want) ?? [];
  const [ga, gb] = parseVersion(got) ?? [];
  if (wa !== ga || wb !== gb) {
    return warn('opennebula', title, `${fe} (${probe.address}) answers with OpenNebula ${got}, onedeck.yaml says ${want}`, 'Set opennebula.version to the version installed, or upgrade OpenNebula (d).');
  }
  return ok('opennebula', title, `${fe} (${probe.address}) answers: OpenNebula ${got}`);
}
