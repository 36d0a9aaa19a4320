// What IAM says the API key may do, read with the key itself: the key names its bearer (an
// application or a user), the bearer's policies (its own and its groups') hold rules, and each
// rule grants permission sets on projects or on the organization. A key that may not read IAM
// gets `determined: false`: onedeck then learns of a refused write when it happens.
import { Iam } from '@scaleway/sdk';
import { Errors, type Client } from '@scaleway/sdk-client';
import type { KeyReading, PermissionGrant } from '../../domain/credential-access.js';
import { scalewayError } from './errors.js';
import { listAll, PAGE_SIZE } from './replies.js';

const short = (id: string) => `${id.slice(0, 8)}…`;

function denied(err: unknown): boolean {
  return err instanceof Errors.PermissionsDeniedError || (err instanceof Errors.ScalewayError && (err.status === 403 || err.status === 401));
}

export async function readKeyAccess(client: Client, accessKey: string): Promise<KeyReading> {
  const iam = new Iam.v1alpha1.API(client);
  try {
    const key = await iam.getAPIKey({ accessKey });
    let bearer: string;
    let organizationId: string | undefined;
    let owner = false;
    const principals: { applicationIds?: string[]; userIds?: string[] } = {};
    if (key.applicationId) {
      const app = await iam.getApplication({ applicationId: key.applicationId });
      organizationId = app.organizationId;
      bearer = `application ${app.name ? `${app.name} ` : ''}${short(app.id)}`;
      principals.applicationIds = [app.id];
    } else if (key.userId) {
      const user = await iam.getUser({ userId: key.userId });
      organizationId = user.organizationId;
      owner = user.type === 'owner';
      bearer = `user ${user.email || short(user.id)}${owner ? ', owner' : ''}`;
      principals.userIds = [user.id];
    } else {
      return { determined: false, reason: 'IAM names no bearer for the key' };
    }
    if (owner) return { determined: true, bearer, organizationId, owner, grants: [] };
    const groups = await listAll('list IAM groups', (page) =>
      iam.listGroups({ organizationId, ...principals, page, pageSize: PAGE_SIZE }).then((r) => ({ totalCount: r.totalCount, items: r.groups })),
    );
    const byPrincipal = await listAll('list IAM policies', (page) =>
      iam.listPolicies({ organizationId, ...principals, page, pageSize: PAGE_SIZE }).then((r) => ({ totalCount: r.totalCount, items: r.policies })),
    );
    const byGroup = groups.length
      ? await listAll('list IAM policies', (page) =>
          iam.listPolicies({ organizationId, groupIds: groups.map((g) => g.id), page, pageSize: PAGE_SIZE }).then((r) => ({ totalCount: r.totalCount, items: r.policies })),
        )
      : [];
    const policies = [...new Map([...byPrincipal, ...byGroup].map((p) => [p.id, p])).values()];
    const grants: PermissionGrant[] = [];
    for (const p of policies) {
      const rules = await listAll('list IAM rules', (page) =>
        iam.listRules({ policyId: p.id, page, pageSize: PAGE_SIZE }).then((r) => ({ totalCount: r.totalCount, items: r.rules })),
      );
      for (const r of rules) {
        for (const set of r.permissionSetNames ?? []) {
          if (r.projectIds) grants.push({ set, projectIds: r.projectIds });
          else if (r.organizationId) grants.push({ set, organizationId: r.organizationId });
        }
      }
    }
    return { determined: true, bearer, organizationId, grants };
  } catch (err) {
    if (denied(err)) {
      const status = err instanceof Errors.ScalewayError ? err.status : 403;
      return { determined: false, reason: `the key may not read IAM (${status}); it needs IAMReadOnly to tell` };
    }
    throw scalewayError(err, 'read the API key\'s IAM permissions');
  }
}
