// The secrets jobs need, from the environment or from files named in onedeck.yaml (never the
// values themselves in the config). They reach a tool only through its environment.
import { readFileSync, statSync } from 'node:fs';
import type { Config } from './schema.js';
import { describeError, ExitCode, OnedeckError } from '../errors.js';

export interface SecretSource {
  /** the environment variable a tool reads it from */
  env: string;
  /** the file that holds it when the variable is not set */
  file?: string;
  what: string;
}

export function secretSources(config: Config): SecretSource[] {
  return [
    { env: 'SCW_FLEXIBLE_IP_TOKEN', file: config.scaleway.flexible_ip_token_file, what: 'the Flexible-IP hooks token' },
    { env: 'ONE_PASSWORD', file: config.opennebula.password_file, what: "oneadmin's password" },
    { env: 'AWS_ACCESS_KEY_ID', what: 'the state bucket access key' },
    { env: 'AWS_SECRET_ACCESS_KEY', what: 'the state bucket secret key' },
  ];
}

/** Read a secret file: its first line, trimmed. A file others can read is refused. */
export function readSecretFile(file: string, what: string): string {
  let st;
  try {
    st = statSync(file);
  } catch (cause) {
    throw new OnedeckError(`${what} file ${file} cannot be read: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.`, {
      hint: 'Create it with the secret on one line and chmod 600, or set the environment variable instead.',
      cause,
      exitCode: ExitCode.config,
    });
  }
  if ((st.mode & 0o077) !== 0) {
    throw new OnedeckError(`${what} file ${file} is readable by other users (mode ${(st.mode & 0o777).toString(8)}).`, {
      hint: `Run: chmod 600 ${file}`,
      exitCode: ExitCode.config,
    });
  }
  return readFileSync(file, 'utf8').split('\n')[0].trim();
}

/** Every secret available for jobs: the variable when set, else the file; missing ones are left out. */
export function collectSecrets(config: Config, env: NodeJS.ProcessEnv, warn: (msg: string) => void): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of secretSources(config)) {
    if (env[s.env]) out[s.env] = env[s.env]!;
    else if (s.file) {
      try {
        const v = readSecretFile(s.file, s.what);
        if (v) out[s.env] = v;
      } catch (err) {
        warn(describeError(err));
      }
    }
  }
  return out;
}
