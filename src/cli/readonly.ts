// Whether a session is read-only, and why: --readonly, ONEDECK_READONLY=1, readonly: true in
// onedeck.yaml, or the administrator's force_readonly (src/config/system.ts), which nothing the
// user passes turns off. Used by the TUI, `onedeck run` and `:reload` (which can only add it).
import type { Config } from '../config/schema.js';
import type { Session } from '../session.js';
import { forcedReadonly, loadSystemConfigs, processAccount, systemConfigFiles, type Account, type SystemConfig } from '../config/system.js';

export interface ReadonlyVerdict {
  readonly: boolean;
  /** why, for the header, the refusals and onedeck.log: "--readonly", "forced by /etc/onedeck/config.yaml for group colleagues" */
  reason?: string;
  /** the administrator forced it */
  forced: boolean;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

export function readonlyVerdict(
  flag: boolean,
  config: Pick<Config, 'readonly' | 'source'>,
  o: { env?: NodeJS.ProcessEnv; system?: SystemConfig[]; account?: Account } = {},
): ReadonlyVerdict {
  const env = o.env ?? process.env;
  const forced = forcedReadonly(o.system ?? loadSystemConfigs(systemConfigFiles(env)), o.account ?? processAccount());
  if (forced) return { readonly: true, reason: forced, forced: true };
  if (flag) return { readonly: true, reason: '--readonly', forced: false };
  if (truthy(env.ONEDECK_READONLY)) return { readonly: true, reason: 'ONEDECK_READONLY', forced: false };
  if (config.readonly) return { readonly: true, reason: `readonly: true in ${config.source.file ?? 'the config'}`, forced: false };
  return { readonly: false, forced: false };
}

/** What a read-only session leaves out, in words, from the registry's mutating actions (said once at start). */
export function readonlyNotice(reason: string | undefined, mutating: { id: string; short?: string }[]): string {
  const names = [...new Set(mutating.map((d) => d.short ?? d.id))];
  return `read-only session (${reason ?? 'read-only'}): ${names.join(', ')} unavailable. It needs only read access: a Scaleway key with read-only permissions, an SSH user without sudo (hook files then read "unreadable").`;
}

/** After `:reload`: the session becomes read-only when the new verdict says so, never writable again. */
export function tightenOnReload(session: Session, again: ReadonlyVerdict): boolean {
  if (!again.readonly || session.readonly) return false;
  Object.assign(session, { readonly: true, readonlyReason: again.reason, readonlyForced: again.forced });
  return true;
}
