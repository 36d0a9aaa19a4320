// The permission sets (and sudo) → the features they leave out, and the words onedeck says.
import { describe, expect, it } from 'vitest';
import { accessLines, leftOutReason, scalewayAccess, sshAccess, type PermissionGrant } from '../../src/domain/credential-access.js';

const P = '11111111-1111-4111-a111-111111111111';
const OTHER = '22222222-2222-4222-a222-222222222222';
const ORG = '33333333-3333-4333-a333-333333333333';
const on = (sets: string[], projectIds = [P]): PermissionGrant[] => sets.map((set) => ({ set, projectIds }));
const read = (grants: PermissionGrant[], owner = false) => scalewayAccess({ determined: true, bearer: 'application ci 1f2e3d4c…', organizationId: ORG, owner, grants }, P);

describe('Scaleway permission sets → features left out', () => {
  it('full access (per product, all products, or an owner) leaves nothing out', () => {
    expect(read(on(['ElasticMetalFullAccess', 'VPCFullAccess', 'IPAMFullAccess', 'SSHKeysFullAccess'])).leftOut).toEqual([]);
    expect(read(on(['AllProductsFullAccess'])).leftOut).toEqual([]);
    expect(read([], true).leftOut).toEqual([]);
    // an organization-wide rule covers the project
    expect(read([{ set: 'AllProductsFullAccess', organizationId: ORG }]).leftOut).toEqual([]);
  });

  it('read-only sets leave out apply, add and remove, and say which sets they need', () => {
    const a = read(on(['ElasticMetalReadOnly', 'VPCReadOnly', 'IPAMReadOnly', 'SSHKeysReadOnly']));
    expect(a.leftOut).toEqual(['apply', 'add', 'remove']);
    expect(a.write).toEqual([]);
    expect(a.needs).toEqual(['ElasticMetalFullAccess', 'VPCFullAccess', 'PrivateNetworksFullAccess', 'IPAMFullAccess', 'SSHKeysFullAccess']);
    expect(a.summary).toBe(
      'Scaleway key is read-only: apply, add and remove left out (it needs ElasticMetalFullAccess, VPCFullAccess, PrivateNetworksFullAccess, IPAMFullAccess, SSHKeysFullAccess)',
    );
    expect(a.detail).toBe(`${a.summary}; the key of application ci 1f2e3d4c…, on project ${P}`);
    expect(read(on(['AllProductsReadOnly'])).leftOut).toEqual(['apply', 'add', 'remove']);
  });

  it('one missing set: the key is limited, and only that set is asked for', () => {
    const a = read(on(['ElasticMetalFullAccess', 'VPCFullAccess', 'IPAMFullAccess', 'SSHKeysReadOnly']));
    expect(a.leftOut).toEqual(['apply', 'add', 'remove']);
    expect(a.needs).toEqual(['SSHKeysFullAccess']);
    expect(a.summary).toMatch(/^Scaleway key is limited: /);
  });

  it('rights on another project only: even the health view and plan are left out', () => {
    const a = read(on(['AllProductsFullAccess'], [OTHER]));
    expect(a.leftOut).toEqual(['monitor', 'plan', 'apply', 'add', 'remove']);
    expect(a.needs[0]).toBe('ElasticMetalReadOnly');
  });

  it('undetermined permissions leave nothing out up front, and say why', () => {
    const a = scalewayAccess({ determined: false, reason: 'the key may not read IAM (403); it needs IAMReadOnly to tell' }, P);
    expect(a.leftOut).toEqual([]);
    expect(accessLines({ scaleway: a })).toEqual([
      'Scaleway key permissions could not be determined (the key may not read IAM (403); it needs IAMReadOnly to tell): a refused write is reported when it happens',
    ]);
  });
});

describe('sudo → features left out', () => {
  it('no host lets the user sudo: OneDeploy, network, hooks, validation, add and remove are left out', () => {
    const a = sshAccess('ubuntu', { fe: false, 'kvm-1': false, 'kvm-2': undefined });
    expect(a.leftOut).toEqual(['deploy', 'network', 'hooks', 'validate', 'add', 'remove']);
    expect(a.summary).toBe(
      'SSH user ubuntu has no passwordless sudo on any host (2): OneDeploy, network, hooks, validation, add and remove left out (give it passwordless sudo, or set ssh.user)',
    );
    expect(leftOutReason({ ssh: a }, 'hooks')).toBe(a.summary);
    expect(leftOutReason({ ssh: a }, 'plan')).toBeUndefined();
  });

  it('some hosts only: nothing is left out, the hosts are named', () => {
    const a = sshAccess('ubuntu', { fe: true, 'kvm-1': false });
    expect(a.leftOut).toEqual([]);
    expect(a.summary).toBe('SSH user ubuntu has no passwordless sudo on kvm-1: OneDeploy, network, hooks and validation fail there');
    expect(sshAccess('ubuntu', { fe: true }).summary).toBeUndefined();
    expect(sshAccess('ubuntu', {}).leftOut).toEqual([]);
  });

  it('the Scaleway reason comes first when both leave a feature out', () => {
    const scw = read(on(['AllProductsReadOnly']));
    const ssh = sshAccess('ubuntu', { fe: false });
    expect(leftOutReason({ scaleway: scw, ssh }, 'add')).toBe(scw.summary);
    expect(leftOutReason({ scaleway: scw, ssh }, 'deploy')).toBe(ssh.summary);
    expect(accessLines({ scaleway: scw, ssh })).toEqual([scw.detail, ssh.summary]);
    expect(accessLines({ scaleway: scw, ssh }, false)).toEqual([scw.summary, ssh.summary]);
  });
});
