// Read-only credentials told up front, against the sandbox: its Scaleway API answers IAM as
// Scaleway does (the key's bearer, groups, policies, rules, pagination) and refuses what the
// key's rules do not grant; its SSH hosts refuse sudo to a user configured without it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Baremetal, Iam } from '@scaleway/sdk';
import { Errors, createAdvancedClient, withProfile } from '@scaleway/sdk-client';
import { NodeSSH } from 'node-ssh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScalewayClient } from '../../src/adapters/scaleway/client.js';
import { resolveScalewayCredentials } from '../../src/adapters/scaleway/credentials.js';
import { readKeyAccess } from '../../src/adapters/scaleway/key-access.js';
import { parseProbeOutput } from '../../src/adapters/ssh/probe-parse.js';
import { probeCommand } from '../../src/adapters/ssh/probe-script.js';
import { scalewayAccess } from '../../src/domain/credential-access.js';
import { knobCommand } from '../../src/sandbox/control-commands.js';
import { clientKeyPath } from '../../src/sandbox/keys.js';
import { startFakeScaleway, type FakeScaleway } from '../../src/sandbox/scaleway-api/server.js';
import { startSshHosts, type SshHosts } from '../../src/sandbox/ssh-hosts/server.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';
import { fakeAccessKey } from '../harness/fake-credentials.js';

let dir: string;
let store: SandboxStateStore;
let api: FakeScaleway;
let hosts: SshHosts;
const open: NodeSSH[] = [];

const creds = () => {
  const s = store.get();
  const config = { scaleway: { zone: s.zone, region: s.region, project_id: s.projectId, offer: 'EM-A610R-NVME', profile: undefined, config_path: undefined } };
  return resolveScalewayCredentials(config, { SCW_ACCESS_KEY: s.accessKey, SCW_SECRET_KEY: s.secretKey, SCW_API_URL: api.url });
};
const client = () => createScalewayClient(creds(), { timeoutMs: 5000, retries: 0, baseDelayMs: 10, maxDelayMs: 10 });
const access = async () => scalewayAccess(await readKeyAccess(client(), store.get().accessKey), store.get().projectId);
const mode = (m: string) => expect(knobCommand(store, ['key-access', m]).code).toBe(0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-cred-access-'));
  store = new SandboxStateStore(dir, createDefaultState({ repoRoot: resolve(__dirname, '../..') }));
  api = await startFakeScaleway({ state: store, secretKey: store.get().secretKey });
  hosts = await startSshHosts({ store, dir });
});

afterAll(async () => {
  for (const s of open) s.dispose();
  await hosts.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Scaleway key, told by IAM', () => {
  it('a full key leaves nothing out; its rules come from its application and its group', async () => {
    mode('full');
    const r = await readKeyAccess(client(), store.get().accessKey);
    expect(r.determined).toBe(true);
    if (!r.determined) return;
    expect(r.bearer).toMatch(/^application onedeck-sandbox /);
    expect(r.grants).toContainEqual({ set: 'IAMReadOnly', organizationId: store.get().organizationId });
    expect(r.grants).toContainEqual({ set: 'ElasticMetalFullAccess', projectIds: [store.get().projectId] });
    const a = scalewayAccess(r, store.get().projectId);
    expect(a.leftOut).toEqual([]);
    expect(a.summary).toMatch(/may read and change everything/);
  });

  it('a read-only key: apply, add and remove are left out, naming the sets they need; its writes are refused with 403', async () => {
    mode('readonly');
    const a = await access();
    expect(a.determined).toBe(true);
    expect(a.leftOut).toEqual(['apply', 'add', 'remove']);
    expect(a.needs).toEqual(['ElasticMetalFullAccess', 'VPCFullAccess', 'PrivateNetworksFullAccess', 'IPAMFullAccess', 'SSHKeysFullAccess']);
    expect(a.summary).toMatch(/^Scaleway key is read-only: apply, add and remove left out \(it needs ElasticMetalFullAccess, /);
    expect(a.detail).toMatch(/; the key of application onedeck-sandbox [0-9a-f]{8}…, on project /);
    const bm = new Baremetal.v1.API(client());
    const s = store.get();
    // reads still work, writes do not
    expect((await bm.listServers({ zone: s.zone as 'fr-par-2', projectId: s.projectId })).totalCount).toBeGreaterThan(0);
    const err = await bm.deleteServer({ zone: s.zone as 'fr-par-2', serverId: s.servers[0].id }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Errors.PermissionsDeniedError);
    expect(store.get().servers).toHaveLength(s.servers.length);
    const iam = new Iam.v1alpha1.API(client());
    const key = await iam.createSSHKey({ name: 'x', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x', projectId: s.projectId }).then(() => undefined, (e: unknown) => e);
    expect(key).toBeInstanceOf(Errors.PermissionsDeniedError);
  });

  it('a key that may not read IAM: the permissions are not determined (the 403 is said), and nothing is left out up front', async () => {
    mode('readonly-no-iam');
    const a = await access();
    expect(a.determined).toBe(false);
    expect(a.leftOut).toEqual([]);
    expect(a.summary).toMatch(/^Scaleway key permissions could not be determined \(the key may not read IAM \(403\); it needs IAMReadOnly to tell\)/);
    mode('full-no-iam');
    expect((await access()).determined).toBe(false);
    // its product rights are intact: it may still write
    const iam = new Iam.v1alpha1.API(client());
    const k = await iam.createSSHKey({ name: 'ok', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ok', projectId: store.get().projectId });
    await iam.deleteSSHKey({ sshKeyId: k.id });
  });

  it('a key borne by a user: an owner may do everything; a member gets its own and its groups\' policies', async () => {
    const s = store.get();
    const userId = '5b0c7f3e-1d2a-4e6b-9c8d-7a6b5c4d3e2f';
    const groupId = '6c1d8a4f-2e3b-4f7c-8d9e-8b7c6d5e4f3a';
    const user = (type: string) => ({ id: userId, email: 'ops@example.com', username: 'ops', first_name: '', last_name: '', phone_number: '', locale: 'en', created_at: null, updated_at: null, organization_id: s.organizationId, deletable: true, last_login_at: null, type, two_factor_enabled: false, status: 'activated', mfa: false, account_root_user_id: '', tags: [], locked: false });
    const key = { access_key: s.accessKey, secret_key: null, user_id: userId, description: '', created_at: null, updated_at: null, expires_at: null, default_project_id: s.projectId, editable: true, deletable: true, managed: false, creation_ip: '' };
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/api-keys\//, status: 200, body: key });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/users\//, status: 200, body: user('owner') });
    const owner = await readKeyAccess(client(), s.accessKey);
    expect(owner).toMatchObject({ determined: true, owner: true, bearer: 'user ops@example.com, owner' });
    expect(scalewayAccess(owner, s.projectId).leftOut).toEqual([]);

    const policy = (id: string, principal: Record<string, string>) => ({ id, name: id.slice(0, 4), description: '', organization_id: s.organizationId, created_at: null, updated_at: null, editable: true, deletable: true, managed: false, nb_rules: 1, nb_scopes: 1, nb_permission_sets: 1, tags: [], ...principal });
    const own = '7d2e9b5a-3f4c-4a8d-9eaf-9c8d7e6f5a4b';
    const viaGroup = '8e3fac6b-4a5d-4b9e-afb0-ad9e8f7a6b5c';
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/api-keys\//, status: 200, body: key });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/users\//, status: 200, body: user('member') });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/groups$/, status: 200, body: { groups: [{ id: groupId, name: 'ops', description: '', organization_id: s.organizationId, user_ids: [userId], application_ids: [], tags: [], editable: true, deletable: true, managed: false, created_at: null, updated_at: null }], total_count: 1 } });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/policies$/, status: 200, body: { policies: [policy(own, { user_id: userId })], total_count: 1 } });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/policies$/, status: 200, body: { policies: [policy(viaGroup, { group_id: groupId })], total_count: 1 } });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/rules$/, status: 200, body: { rules: [{ id: 'r1', permission_set_names: ['ElasticMetalReadOnly', 'IPAMReadOnly'], permissions_sets_scope_type: 'projects', condition: '', project_ids: [s.projectId] }], total_count: 1 } });
    api.inject({ method: 'GET', path: /^\/iam\/v1alpha1\/rules$/, status: 200, body: { rules: [{ id: 'r2', permission_set_names: ['AllProductsReadOnly'], permission_sets_scope_type: 'organization', condition: '', organization_id: s.organizationId }], total_count: 1 } });
    const member = await readKeyAccess(client(), s.accessKey);
    expect(member).toMatchObject({ determined: true, bearer: 'user ops@example.com' });
    if (!member.determined) return;
    expect(member.grants.map((g) => g.set).sort()).toEqual(['AllProductsReadOnly', 'ElasticMetalReadOnly', 'IPAMReadOnly']);
    expect(scalewayAccess(member, s.projectId).leftOut).toEqual(['apply', 'add', 'remove']);
  });

  it('IAM lists page as Scaleway does, and want the organization', async () => {
    mode('full');
    const s = store.get();
    const raw = createAdvancedClient(withProfile({ accessKey: s.accessKey, secretKey: s.secretKey, apiURL: api.url }));
    const iam = new Iam.v1alpha1.API(raw);
    const first = await iam.listPolicies({ organizationId: s.organizationId, pageSize: 1 });
    expect(first.totalCount).toBe(2);
    expect(first.policies).toHaveLength(1);
    const all = await iam.listPolicies({ organizationId: s.organizationId, pageSize: 1 }).all();
    expect(all.map((p) => p.name).sort()).toEqual(['onedeck-sandbox-cluster', 'onedeck-sandbox-iam-read']);
    expect(all.find((p) => p.name === 'onedeck-sandbox-cluster')?.groupId).toBeTruthy();
    const noOrg = await iam.listPolicies({}).then(() => undefined, (e: unknown) => e);
    expect(noOrg).toBeInstanceOf(Errors.InvalidArgumentsError);
    const rules = await iam.listRules({ policyId: all[0].id }).all();
    expect(rules[0].permissionSetNames?.length).toBeGreaterThan(0);
    const unknown = await iam.getAPIKey({ accessKey: fakeAccessKey('A') }).then(() => undefined, (e: unknown) => e);
    expect(unknown).toBeInstanceOf(Errors.ResourceNotFoundError);
  });
});

describe('the SSH user, told by the probe', () => {
  async function login(user: string): Promise<NodeSSH> {
    const h = store.get().simHosts.find((x) => x.name === 'fe')!;
    const ssh = new NodeSSH();
    open.push(ssh);
    await ssh.connect({ host: h.address, port: h.port, username: user, privateKeyPath: clientKeyPath(dir), readyTimeout: 5000 });
    return ssh;
  }

  it('a user with sudo: become yes; one configured without (knob ssh-sudo no): become no, and sudo -n asks for a password', async () => {
    const yes = await login('ubuntu');
    expect(parseProbeOutput((await yes.execCommand(probeCommand())).stdout).become).toBe(true);
    expect(knobCommand(store, ['ssh-sudo', 'no', 'alice']).code).toBe(0);
    const no = await login('alice');
    expect(parseProbeOutput((await no.execCommand(probeCommand())).stdout).become).toBe(false);
    const r = await no.execCommand('sudo -n true');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('sudo: a password is required');
    expect((await no.execCommand('id -u')).stdout).toBe('1000');
    // ubuntu keeps its sudo; root always has it
    expect((await yes.execCommand('sudo -n true')).code).toBe(0);
    expect(knobCommand(store, ['ssh-sudo', 'no', 'root']).code).toBe(0);
    const root = await login('root');
    expect(parseProbeOutput((await root.execCommand(probeCommand())).stdout).become).toBe(true);
    expect(knobCommand(store, ['ssh-sudo', 'yes', 'alice']).code).toBe(0);
    expect(parseProbeOutput((await no.execCommand(probeCommand())).stdout).become).toBe(true);
  });
});
