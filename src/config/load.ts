// Finds onedeck.yaml (--config, ./onedeck.yaml, $XDG_CONFIG_HOME/onedeck/config.yaml), parses it
// keeping positions, and turns every schema problem into `file:line:col: what, got X. fix`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ExitCode, OnedeckError } from '../errors.js';
import { resolvePaths } from '../paths.js';
import { describeIssue, hintFor, positionOf } from './issues.js';
import { configSchema, type Config, type HostConfig } from './schema.js';

export interface FindResult {
  file: string | null;
  /** every place looked at, for `onedeck info` and error messages */
  searched: string[];
}

export function findConfig(explicit: string | undefined, cwd = process.cwd(), env = process.env): FindResult {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new OnedeckError(`config file ${file} does not exist.`, {
        hint: 'Check the path given to --config, or run onedeck without it to use the sandbox cluster.',
        exitCode: ExitCode.config,
      });
    }
    return { file, searched: [file] };
  }
  const candidates = [resolve(cwd, 'onedeck.yaml'), resolvePaths(env).userConfig];
  for (const c of candidates) if (existsSync(c)) return { file: c, searched: candidates };
  return { file: null, searched: candidates };
}

export function loadConfigFile(file: string, opts: { sandbox?: boolean } = {}): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new OnedeckError(`cannot read config file ${file}: ${(cause as Error).message}.`, {
      hint: 'Check that the file exists and is readable by this user.',
      cause,
      exitCode: ExitCode.config,
    });
  }
  return parseConfig(text, file, opts);
}

/** Parse and validate config text; `file` is used for messages and to resolve relative paths. */
/** the first line after `line` (1-based) indented deeper than it, with the column of its text */
function misIndented(text: string, line: number): { line: number; col: number } | undefined {
  const lines = text.split('\n');
  const indent = (l: string) => l.length - l.trimStart().length;
  const base = indent(lines[line - 1] ?? '');
  for (let i = line; i < lines.length; i++) {
    const l = lines[i];
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    return indent(l) > base ? { line: i + 1, col: indent(l) + 1 } : undefined;
  }
  return undefined;
}

export function parseConfig(text: string, file: string, opts: { sandbox?: boolean } = {}): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    // the library points at the value before a mis-indented line: point at that line itself
    const deeper = e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY' ? misIndented(text, pos.line) : undefined;
    if (deeper) {
      throw new OnedeckError(`${file}:${deeper.line}:${deeper.col}: this is not valid YAML: line ${deeper.line} is indented more than the key on line ${pos.line} above it.`, {
        hint: `Indent line ${deeper.line} like line ${pos.line} (a sibling key), or give line ${pos.line}'s key no value on its line (a nested mapping).`,
        exitCode: ExitCode.config,
      });
    }
    throw new OnedeckError(`${file}:${pos.line}:${pos.col}: this is not valid YAML: ${what}.`, {
      hint: 'Fix the YAML syntax at that position (indentation, a missing colon or quote).',
      exitCode: ExitCode.config,
    });
  }
  let raw: unknown;
  try {
    // the yaml library refuses a document whose aliases expand past its limit (an alias bomb)
    raw = doc.toJS() ?? {};
  } catch (cause) {
    throw new OnedeckError(`${file}: this YAML expands too many aliases (*name) to be read safely: ${(cause as Error).message}.`, {
      hint: 'onedeck.yaml needs no anchors or aliases: write the values out.',
      cause,
      exitCode: ExitCode.config,
    });
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new OnedeckError(`${file}:1:1: the config must be a mapping of keys such as cluster:, scaleway:, frontend:.`, {
      hint: 'See the README section "Configuration" for an example onedeck.yaml.',
      exitCode: ExitCode.config,
    });
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new OnedeckError(describeIssue(issue, doc, lineCounter, file), {
      hint: hintFor(issue, doc),
      exitCode: ExitCode.config,
    });
  }
  const c = result.data;
  const dir = dirname(file);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  const names = new Set<string>([c.frontend.name]);
  const hypervisors: HostConfig[] = c.hypervisors.map((h, i) => {
    if (names.has(h.name)) {
      const pos = positionOf(doc, lineCounter, ['hypervisors', i]);
      throw new OnedeckError(`${file}:${pos}: host name "${h.name}" is used twice.`, {
        hint: 'Every host needs its own stable name: it keys the server, the inventory and the OpenNebula host.',
        exitCode: ExitCode.config,
      });
    }
    names.add(h.name);
    return { ...h, role: 'hypervisor' };
  });
  return {
    ...c,
    frontend: { ...c.frontend, role: 'frontend' },
    hypervisors,
    paths: {
      terraform: abs(c.paths.terraform),
      ansible: abs(c.paths.ansible),
      hooks: abs(c.paths.hooks),
      inventory: abs(c.paths.inventory ?? resolve(abs(c.paths.ansible), 'inventory', 'onedeck.yml')),
    },
    scaleway: {
      ...c.scaleway,
      region: c.scaleway.region ?? c.scaleway.zone.replace(/-\d$/, ''),
      flexible_ip_token_file: c.scaleway.flexible_ip_token_file ? abs(expandHome(c.scaleway.flexible_ip_token_file)) : undefined,
    },
    opennebula: { ...c.opennebula, password_file: c.opennebula.password_file ? abs(expandHome(c.opennebula.password_file)) : undefined },
    ssh: {
      ...c.ssh,
      // like paths.*, a relative file is relative to onedeck.yaml, not to wherever onedeck started
      key: c.ssh.key ? abs(expandHome(c.ssh.key)) : undefined,
      known_hosts: c.ssh.known_hosts ? abs(expandHome(c.ssh.known_hosts)) : undefined,
      config_file: c.ssh.config_file ? abs(expandHome(c.ssh.config_file)) : undefined,
    },
    source: { file, dir, sandbox: opts.sandbox ?? false },
  };
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? resolve(process.env.HOME ?? '/', p.slice(2)) : p;
}
