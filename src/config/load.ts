// Finds onedeck.yaml (--config, ./onedeck.yaml, $XDG_CONFIG_HOME/onedeck/config.yaml), parses it
// keeping positions, and turns every schema problem into `file:line:col: what, got X. fix`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, isNode, isScalar, parseDocument, type Document } from 'yaml';
import type { ZodIssue } from 'zod';
import { ExitCode, OnedeckError } from '../errors.js';
import { resolvePaths } from '../paths.js';
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
export function parseConfig(text: string, file: string, opts: { sandbox?: boolean } = {}): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    throw new OnedeckError(`${file}:${pos.line}:${pos.col}: this is not valid YAML: ${what}.`, {
      hint: 'Fix the YAML syntax at that position (indentation, a missing colon or quote).',
      exitCode: ExitCode.config,
    });
  }
  const raw = doc.toJS() ?? {};
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

function positionOf(doc: Document, lc: LineCounter, path: (string | number)[]): string {
  // walk up the path until a node with a position is found (a missing key points at its parent)
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const p = lc.linePos(node.range[0]);
      return `${p.line}:${p.col}`;
    }
  }
  return '1:1';
}

function describeIssue(issue: ZodIssue, doc: Document, lc: LineCounter, file: string): string {
  const path = issue.path;
  const where = `${file}:${positionOf(doc, lc, path)}`;
  const key = path.length ? path.join('.') : '(top level)';
  const got = doc.getIn(path);
  const gotText = got === undefined ? 'nothing' : JSON.stringify(got);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return `${where}: ${key} is required but missing.`;
      return `${where}: ${key} must be ${article(issue.expected)}, got ${gotText}.`;
    case 'unrecognized_keys':
      return `${where}: ${key === '(top level)' ? 'the top level' : key} has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
    case 'invalid_union':
      return `${where}: ${key} must be a host name or a mapping with name:, got ${gotText}.`;
    default:
      return `${where}: ${key} ${lowerFirst(issue.message.replace(/^(String|Number) /, ''))}, got ${gotText}.`;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function article(t: string): string {
  if (t === 'array') return 'a list';
  if (t === 'object') return 'a mapping';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function hintFor(issue: ZodIssue, doc: Document): string {
  const k = issue.path.join('.');
  if (k === 'opennebula.version') {
    const node = doc.getIn(issue.path, true);
    const written = isScalar(node) && typeof node.value === 'number' && node.source ? node.source : '6.10';
    return `Quote it so it stays a string: version: "${written}" (unquoted, YAML reads 6.10 as the number 6.1 and 7.0 as 7).`;
  }
  if (issue.code === 'unrecognized_keys') {
    return 'Remove or rename the key; credentials never go in onedeck.yaml (use SCW_* variables or the scw profile).';
  }
  if (k.startsWith('hypervisors')) return 'Write, for example:  hypervisors: [kvm-1, kvm-2]';
  if (k === 'scaleway.zone') return 'Write, for example:  zone: fr-par-2';
  if (k === 'scaleway.project_id') return 'Use the project id shown by `scw account project list` (a UUID).';
  if (k === 'frontend' || k.startsWith('frontend.')) return 'Write, for example:  frontend: { name: fe }';
  if (k.startsWith('networks')) return 'Write, for example:  private_subnet: 10.16.0.0/20';
  if (k === 'cluster') return 'Write, for example:  cluster: prod';
  return 'See the README section "Configuration" for every key and an example.';
}
