// Parses the probe's `key value` lines (tolerant of banners and junk) and compares the hook files
// a host has with the repo's hooks/.
import { PROBE_MARKER } from './probe-script.js';

export interface ProbeResult {
  version: number;
  load1?: number;
  memTotalKb?: number;
  memAvailableKb?: number;
  diskUsedPct?: number;
  libvirtd?: 'active' | 'inactive' | 'failed' | 'unknown';
  kvm?: 'loaded' | 'missing';
  /** the probe ran as root: the SSH user is root or may sudo without a password */
  become?: boolean;
  /** undefined when the host has no hooks directory */
  hooksDir?: string;
  /** relpath → sha256 hex, or null when the file could not be read */
  hooks: Record<string, string | null>;
  hookErrors24h?: number;
  hookErrors: string[];
  /** the `end` line was seen: the output is complete */
  complete: boolean;
}

class ProbeParseError extends Error {}

const numOrUndef = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

export function parseProbeOutput(text: string): ProbeResult {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith(`${PROBE_MARKER} `));
  if (start < 0) {
    const seen = text.trim().slice(0, 80);
    throw new ProbeParseError(`the probe printed no "${PROBE_MARKER}" header${seen ? ` (got ${JSON.stringify(seen)})` : ' (no output)'}`);
  }
  const r: ProbeResult = {
    version: numOrUndef(lines[start].trim().split(/\s+/)[1]) ?? 0,
    hooks: {},
    hookErrors: [],
    complete: false,
  };
  for (const raw of lines.slice(start + 1)) {
    const line = raw.replace(/\s+$/, '');
    if (line === 'end') {
      r.complete = true;
      break;
    }
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const key = line.slice(0, sp);
    const value = line.slice(sp + 1).trim();
    switch (key) {
      case 'load1':
        r.load1 = numOrUndef(value);
        break;
      case 'mem_total_kb':
        r.memTotalKb = numOrUndef(value);
        break;
      case 'mem_available_kb':
        r.memAvailableKb = numOrUndef(value);
        break;
      case 'disk_used_pct':
        r.diskUsedPct = numOrUndef(value.replace(/%$/, ''));
        break;
      case 'libvirtd':
        r.libvirtd = (['active', 'inactive', 'failed'] as const).find((v) => v === value) ?? 'unknown';
        break;
      case 'kvm':
        if (value === 'loaded' || value === 'missing') r.kvm = value;
        break;
      case 'become':
        if (value === 'yes' || value === 'no') r.become = value === 'yes';
        break;
      case 'hooks_dir':
        r.hooksDir = value === 'missing' || value === '' ? undefined : value;
        break;
      case 'hook': {
        const m = /^(\S+)\s+(\S+)$/.exec(value);
        if (!m) break;
        r.hooks[m[1]] = /^[0-9a-f]{64}$/i.test(m[2]) ? m[2].toLowerCase() : null;
        break;
      }
      case 'hook_errors_24h':
        r.hookErrors24h = numOrUndef(value);
        break;
      case 'hook_error':
        r.hookErrors.push(line.slice(sp + 1));
        break;
      default:
        // unknown keys come from newer probes or from junk on stdout: ignore them
        break;
    }
  }
  r.hookErrors = r.hookErrors.slice(-5);
  return r;
}

export interface HookComparison {
  ok: boolean;
  missing: string[];
  different: string[];
  /** flexip files on the host that the repo no longer has */
  extra: string[];
}

/** Compare the host's hook files with the repo's (both as relpath → sha256, host-side paths). */
export function compareHooks(host: Record<string, string | null>, repo: Record<string, string>): HookComparison {
  const missing: string[] = [];
  const different: string[] = [];
  for (const [path, sha] of Object.entries(repo)) {
    if (!(path in host)) missing.push(path);
    else if (host[path] !== sha) different.push(path);
  }
  const extra = Object.keys(host).filter((p) => !(p in repo));
  return { ok: missing.length === 0 && different.length === 0, missing: missing.sort(), different: different.sort(), extra: extra.sort() };
}
