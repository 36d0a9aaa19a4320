// The administrator's system-wide file (/etc/onedeck/config.yaml): `force_readonly` makes every
// session read-only (true), or only those of some Unix users or groups. Nothing the user does
// turns it off: the file is read whatever the flags and environment say ($ONEDECK_SYSTEM_CONFIG,
// for tests, names one more file that can only add to it), and the user and groups are the
// process's real ones (its uid and gids), never $USER.
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ExitCode, OnedeckError } from '../errors.js';
import { positionOf } from './issues.js';

export const SYSTEM_CONFIG = '/etc/onedeck/config.yaml';

const names = z.array(z.string().min(1));
const systemSchema = z
  .object({
    force_readonly: z.union([z.boolean(), z.object({ users: names.default([]), groups: names.default([]) }).strict()]).default(false),
  })
  .strict();

export type SystemConfig = z.output<typeof systemSchema> & { file: string };

/** The system files in force: /etc/onedeck/config.yaml, and $ONEDECK_SYSTEM_CONFIG if set. */
export function systemConfigFiles(env: NodeJS.ProcessEnv = process.env, base = SYSTEM_CONFIG): string[] {
  const files = [base];
  if (env.ONEDECK_SYSTEM_CONFIG && env.ONEDECK_SYSTEM_CONFIG !== base) files.push(env.ONEDECK_SYSTEM_CONFIG);
  return files;
}

/** Parse one system file; every problem is `file:line:col: what`, exit 78 (onedeck refuses to start). */
export function parseSystemConfig(text: string, file: string): SystemConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const fail = (where: string, what: string) =>
    new OnedeckError(`${file}:${where}: ${what}`, {
      hint: 'The administrator\'s file takes only force_readonly: true, or force_readonly: { users: [alice], groups: [colleagues] }. onedeck does not start until it is fixed.',
      exitCode: ExitCode.config,
    });
  if (doc.errors.length) {
    const p = lc.linePos(doc.errors[0].pos[0]);
    throw fail(`${p.line}:${p.col}`, `this is not valid YAML: ${doc.errors[0].message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '')}.`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (cause) {
    throw fail('1:1', `this YAML cannot be read safely: ${(cause as Error).message}.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('1:1', 'the file must be a mapping, for example force_readonly: true.');
  const r = systemSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    let at = positionOf(doc, lc, issue.path);
    if (issue.code === 'unrecognized_keys') {
      // an unknown key is reported on its own line, not at the mapping holding it
      const map = issue.path.length ? doc.getIn(issue.path, true) : doc.contents;
      const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === issue.keys[0]) : undefined;
      const range = pair && isNode(pair.key) ? pair.key.range : undefined;
      if (range) {
        const p = lc.linePos(range[0]);
        at = `${p.line}:${p.col}`;
      }
    }
    const key = issue.path.length ? issue.path.join('.') : 'the top level';
    const got = doc.getIn(issue.path);
    const what =
      issue.code === 'unrecognized_keys'
        ? `${key} has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}.`
        : `${key} must be true, false, or a mapping of users: and groups: lists, got ${got === undefined ? 'nothing' : JSON.stringify(got)}.`;
    throw fail(at, what);
  }
  return { ...r.data, file };
}

/** Every system file that exists, parsed. An unreadable one is an error: the administrator meant something. */
export function loadSystemConfigs(files = systemConfigFiles()): SystemConfig[] {
  const out: SystemConfig[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new OnedeckError(`cannot read the system config ${file}: ${(cause as Error).message}.`, {
        hint: 'It must be readable by every user of onedeck (mode 0644); onedeck does not start without it.',
        exitCode: ExitCode.config,
      });
    }
    out.push(parseSystemConfig(text, file));
  }
  return out;
}

export interface Account {
  user: string;
  groups: string[];
}

/** This process's real user and groups (from its uid and gids and /etc/group), never from $USER. */
export function processAccount(groupFile = '/etc/group'): Account {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = String(process.getuid?.() ?? '?');
  }
  const gids = new Set<number>([...(process.getgroups?.() ?? []), ...(process.getgid ? [process.getgid()] : [])]);
  const groups: string[] = [];
  try {
    for (const line of readFileSync(groupFile, 'utf8').split('\n')) {
      const [name, , gid, members] = line.split(':');
      if (!name) continue;
      if (gids.has(Number(gid)) || (members ?? '').split(',').includes(user)) groups.push(name);
    }
  } catch {
    /* no /etc/group: users only */
  }
  return { user, groups };
}

/** Which system file forces read-only on this account, and why, if any. */
export function forcedReadonly(configs: SystemConfig[], who: Account): string | undefined {
  for (const c of configs) {
    const f = c.force_readonly;
    if (f === true) return `forced by ${c.file}`;
    if (f && typeof f === 'object') {
      if (f.users.includes(who.user)) return `forced by ${c.file} for user ${who.user}`;
      const g = who.groups.find((x) => f.groups.includes(x));
      if (g) return `forced by ${c.file} for group ${g}`;
    }
  }
  return undefined;
}
