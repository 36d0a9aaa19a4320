// A secret echoed by a source (a Scaleway 401 that quotes the key, an OpenNebula or SSH failure
// that quotes a password) must not reach the store, the screen or `status`: every string of a
// sweep's result is masked with the values of the secrets onedeck knows (the SCW_* variables as
// given, malformed ones included, the scw profile's keys, and the job secrets from env or files).
import type { Config } from '../config/schema.js';
import { collectSecrets } from '../config/secrets.js';
import { resolveScalewayCredentials } from '../adapters/scaleway/credentials.js';
import { createMasker, type Masker } from '../jobs/mask.js';

/** Every secret value known for this config, from `env` and the files onedeck.yaml names. */
export function knownSecrets(config: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = [env.SCW_SECRET_KEY, env.SCW_ACCESS_KEY, env.AWS_SECRET_ACCESS_KEY];
  try {
    const c = resolveScalewayCredentials(config, env);
    out.push(c.profile.secretKey, c.profile.accessKey);
  } catch {
    /* no (or malformed) credentials: the raw variables above are masked anyway */
  }
  try {
    out.push(...Object.values(collectSecrets(config, env, () => undefined)));
  } catch {
    /* a secret file onedeck cannot use: it is reported where jobs need it */
  }
  return out.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

export function secretsMasker(config: Config, env: NodeJS.ProcessEnv = process.env): Masker {
  return createMasker(knownSecrets(config, env));
}

/** `value` with every string masked, unchanged (the same object) when no secret occurs in it. */
export function maskDeep<T>(value: T, mask: Masker): T {
  if (mask.count === 0) return value;
  const text = JSON.stringify(value);
  if (text === undefined || mask(text) === text) return value;
  return JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' ? mask(v) : v)) as T;
}
