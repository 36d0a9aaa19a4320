// Scaleway credentials: SCW_* variables first, else the scw CLI config file read with a real
// YAML parser (the SDK's loader keeps quotes and ignores active_profile / SCW_PROFILE).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '@scaleway/sdk-client';
import { parse } from 'yaml';
import type { Config } from '../../config/schema.js';
import { ExitCode, OnedeckError } from '../../errors.js';

export interface ScalewayCredentials {
  profile: Profile & { accessKey: string; secretKey: string; apiURL: string };
  /** where they came from, never the secret: "SCW_* environment" or "~/.config/scw/config.yaml profile prod" */
  source: string;
}

const ACCESS_KEY = /^SCW[A-Z0-9]{17}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_API = 'https://api.scaleway.com';

type ScwSection = Record<string, unknown>;

/** Candidate scw config files, in lookup order. */
export function scwConfigCandidates(config: Pick<Config, 'scaleway'>, env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  const list = [env.SCW_CONFIG_PATH, config.scaleway.config_path];
  if (env.XDG_CONFIG_HOME) list.push(join(env.XDG_CONFIG_HOME, 'scw', 'config.yaml'));
  list.push(join(home, '.config', 'scw', 'config.yaml'));
  // each place once: SCW_CONFIG_PATH or XDG_CONFIG_HOME often name the default file again
  return [...new Set(list.filter((x): x is string => !!x))];
}

export function resolveScalewayCredentials(
  config: Pick<Config, 'scaleway'>,
  env: NodeJS.ProcessEnv = process.env,
): ScalewayCredentials {
  if (env.SCW_ACCESS_KEY || env.SCW_SECRET_KEY) {
    return finish(
      {
        access_key: env.SCW_ACCESS_KEY,
        secret_key: env.SCW_SECRET_KEY,
        api_url: env.SCW_API_URL,
        default_project_id: env.SCW_DEFAULT_PROJECT_ID,
        default_organization_id: env.SCW_DEFAULT_ORGANIZATION_ID,
      },
      'SCW_* environment variables',
      config,
      env,
    );
  }
  const candidates = scwConfigCandidates(config, env);
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    throw new OnedeckError('no Scaleway credentials: SCW_ACCESS_KEY/SCW_SECRET_KEY are not set and no scw config file exists.', {
      hint: `Export SCW_ACCESS_KEY and SCW_SECRET_KEY, or run \`scw init\` (looked in ${candidates.join(', ')}).`,
      exitCode: ExitCode.config,
    });
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new OnedeckError(`cannot read the scw config file ${file}: ${(cause as Error).message.split('\n')[0]}.`, {
      hint: 'Fix the YAML, or re-create it with `scw init`.',
      cause,
      exitCode: ExitCode.config,
    });
  }
  const root = (doc && typeof doc === 'object' ? doc : {}) as ScwSection;
  const profiles = (root.profiles && typeof root.profiles === 'object' ? root.profiles : {}) as Record<string, ScwSection>;
  const name = env.SCW_PROFILE || config.scaleway.profile || (typeof root.active_profile === 'string' ? root.active_profile : '') || 'default';
  let section: ScwSection = root;
  if (name !== 'default') {
    const p = profiles[name];
    if (!p) {
      throw new OnedeckError(`scw profile "${name}" does not exist in ${file}.`, {
        hint: `Known profiles: default${Object.keys(profiles).length ? `, ${Object.keys(profiles).join(', ')}` : ''}. Fix scaleway.profile / SCW_PROFILE, or run \`scw init -p ${name}\`.`,
        exitCode: ExitCode.config,
      });
    }
    // a named profile inherits what it does not set from the top level, as the scw CLI does
    section = { ...root, ...p };
  }
  return finish(section, `${file} profile ${name}`, config, env);
}

function s(x: unknown): string | undefined {
  return typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined;
}

function finish(sec: ScwSection, source: string, config: Pick<Config, 'scaleway'>, env: NodeJS.ProcessEnv): ScalewayCredentials {
  const accessKey = s(sec.access_key);
  const secretKey = s(sec.secret_key);
  const fix = source.startsWith('SCW_') ? 'Fix SCW_ACCESS_KEY / SCW_SECRET_KEY' : `Fix ${source.replace(/ profile .*/, '')} or run \`scw init\``;
  if (!accessKey || !secretKey) {
    throw new OnedeckError(`Scaleway credentials from ${source} are incomplete: ${!accessKey ? 'access key' : 'secret key'} missing.`, {
      hint: `${fix}; both an access key and a secret key are needed.`,
      exitCode: ExitCode.config,
    });
  }
  if (!ACCESS_KEY.test(accessKey)) {
    throw new OnedeckError(`the Scaleway access key from ${source} is malformed (expected SCW followed by 17 letters or digits).`, {
      hint: fix,
      exitCode: ExitCode.config,
    });
  }
  if (!UUID.test(secretKey)) {
    throw new OnedeckError(`the Scaleway secret key from ${source} is malformed (expected a UUID).`, { hint: fix, exitCode: ExitCode.config });
  }
  const apiURL = (env.SCW_API_URL || s(sec.api_url) || DEFAULT_API).replace(/\/+$/, '');
  const urlFrom = env.SCW_API_URL ? 'SCW_API_URL' : s(sec.api_url) ? `api_url in ${source}` : 'the default';
  let parsed: URL | undefined;
  try {
    parsed = new URL(apiURL);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new OnedeckError(`the Scaleway API URL from ${urlFrom} is not an http(s) URL: ${JSON.stringify(apiURL)}.`, {
      hint: `Set it to https://api.scaleway.com (or unset it).`,
      exitCode: ExitCode.config,
    });
  }
  const profile: ScalewayCredentials['profile'] = {
    accessKey,
    secretKey,
    apiURL,
    defaultZone: config.scaleway.zone as Profile['defaultZone'],
    defaultRegion: (config.scaleway.region || config.scaleway.zone.replace(/-\d$/, '')) as Profile['defaultRegion'],
    defaultProjectId: config.scaleway.project_id,
  };
  const org = s(sec.default_organization_id);
  if (org && UUID.test(org)) profile.defaultOrganizationId = org;
  return { profile, source };
}
