// Scaleway SDK errors as operator messages: what failed, why, and how to fix it.
import { Errors } from '@scaleway/sdk-client';
import { OnedeckError } from '../../errors.js';

const CRED_HINT = 'Check SCW_ACCESS_KEY/SCW_SECRET_KEY or the scw profile (scaleway.profile / SCW_PROFILE); `scw info` shows which one is used.';

/** Turn anything thrown while calling the API for `what` ("list Elastic Metal servers") into an OnedeckError. */
export function scalewayError(err: unknown, what: string, attempts = 1): OnedeckError {
  if (err instanceof OnedeckError) return err;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (err instanceof Errors.DeniedAuthenticationError || (err instanceof Errors.ScalewayError && err.status === 401)) {
    return new OnedeckError(`Scaleway rejected the credentials (401) when trying to ${what}${detail(err)}.`, { hint: CRED_HINT, cause: err });
  }
  if (err instanceof Errors.PermissionsDeniedError) {
    const perms = err.list.map((d) => `${d.action} ${d.resource}`).join(', ');
    return new OnedeckError(`Scaleway refused to ${what} (403): the API key lacks the permission ${perms || '(not named)'}.`, {
      hint: 'Give the key\'s IAM application or user a policy with ElasticMetalReadOnly, FlexibleIPReadOnly, PrivateNetworksReadOnly and IPAMReadOnly on this project.',
      cause: err,
    });
  }
  if (err instanceof Errors.ScalewayError && err.status === 403) {
    return new OnedeckError(`Scaleway refused to ${what} (403)${detail(err)}.`, {
      hint: 'The API key lacks a permission on this project, or the project id (scaleway.project_id) is not the key\'s.',
      cause: err,
    });
  }
  if (err instanceof Errors.ResourceNotFoundError || (err instanceof Errors.ScalewayError && err.status === 404)) {
    return new OnedeckError(`Scaleway answered 404 (not found) when trying to ${what}${detail(err)}.`, {
      hint: 'Check scaleway.zone and scaleway.project_id in onedeck.yaml; the resource may have been deleted.',
      cause: err,
    });
  }
  if (err instanceof Errors.TooManyRequestsError || (err instanceof Errors.ScalewayError && err.status === 429)) {
    return new OnedeckError(`Scaleway rate-limited onedeck (429) when trying to ${what}${tries}.`, {
      hint: 'Another tool may be using the same API key heavily; raise refresh_seconds. onedeck tries again at the next refresh.',
      cause: err,
    });
  }
  if (err instanceof Errors.ScalewayError && err.status >= 500) {
    return new OnedeckError(`the Scaleway API failed (${err.status}) when trying to ${what}${tries}${detail(err)}.`, {
      hint: 'A Scaleway-side problem: see https://status.scaleway.com. onedeck tries again at the next refresh.',
      cause: err,
    });
  }
  if (err instanceof Errors.ScalewayError && /could not parse|Unmarshalling/i.test(err.message)) {
    return new OnedeckError(`the Scaleway API sent a response onedeck cannot read when trying to ${what} (${err.message.replace(/^http error \d+: /, '').slice(0, 160)}).`, {
      hint: 'If SCW_API_URL or api_url points somewhere other than https://api.scaleway.com, check that endpoint.',
      cause: err,
    });
  }
  if (err instanceof Errors.ScalewayError) {
    return new OnedeckError(`Scaleway error ${err.status} when trying to ${what}: ${err.message}.`, { cause: err });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new OnedeckError(`cannot ${what} at Scaleway: ${msg}.`, {
    hint: 'Check scaleway.zone, scaleway.region and the network.',
    cause: err,
  });
}

function detail(err: unknown): string {
  if (!(err instanceof Errors.ScalewayError)) return '';
  const raw = (err.rawMessage ?? (typeof err.body === 'string' ? err.body : '')).trim();
  return raw ? `: ${raw.slice(0, 160)}` : '';
}
