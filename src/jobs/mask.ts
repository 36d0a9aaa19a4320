// Masks secrets before a line reaches a log file, a pane or a displayed command line: every
// secret value given (and its JSON-escaped form), plus token shapes known without being told.
export const MASK = '********';

/** Values shorter than this are not masked (masking "1" would shred every log line). */
const MIN_SECRET_LENGTH = 4;

// key=value / "key": "value" pairs whose value is always a secret. Every alternative is a fixed
// word except the *_flexible_ip_token one, which is anchored at a word start (\b): unanchored,
// `[a-z_]*` was tried from every letter of a run of letters, quadratic in the line length.
// The spaces around `=`/`:` are `[^\S\r\n]` (white space but a line break): the runner masks a whole
// chunk of lines at once, and a pair never spans two lines.
// The quotes may come escaped: JSON inside a JSON string (an Ansible event's captured stdout)
// writes `\"password\": \"…\"`, three strings deep `\\\"…`. A quoted value runs to its closing
// quote at its own depth: a quote after 2m backslashes at depth 0 (`"`, `\\"`), 4m+1 at depth 1,
// 8m+3 at depth 2; fewer or more belong to the value (an escaped quote or backslash in it). So
// the whole value is masked and the escaped JSON stays whole. Every backslash run is bounded, so
// a line of backslashes costs linear time; a value with no closing quote is masked to the line's end.
const KEY = String.raw`(?:secret_key|SCW_SECRET_KEY|one_pass|db_password|password|passwd|one_token|\b[a-z_]*flexible_ip_token|auth_token|api_token|access_token)(?:\\{0,7}["'])?[^\S\r\n]*[=:][^\S\r\n]*`;
// the value (group 3): no closing quote at its start, then up to the first closing quote, the
// backslashes of its own run that belong to it included (a value ending in a backslash)
const quotedAt = (k: string, run: string) =>
  new RegExp(String.raw`(${KEY}(?<!\\)${k}(["']))((?!${k}\2)(?:(?!(?<!\\)${run}${k}\2)[^\r\n])*${run})(?=${k}\2|$)`, 'gi');
const KEYED_QUOTED = [
  quotedAt('', String.raw`(?:\\\\){0,16}`),
  quotedAt(String.raw`\\`, String.raw`(?:\\{4}){0,8}`),
  quotedAt(String.raw`\\{3}`, String.raw`(?:\\{8}){0,4}`),
];
// an unquoted value: to white space, a comma or a brace
const KEYED_BARE = new RegExp(String.raw`(${KEY})(?!\\{0,7}["'])((?:[^"'\s,}\\]|\\(?!\\{0,6}["']))+)`, 'gi');
// HTTP headers carrying a token
const HEADER = /((?:X-Auth-Token|Authorization)[^\S\r\n]*:[^\S\r\n]*(?:Bearer[^\S\r\n]+)?)(\S+)/gi;
// a Scaleway access key: SCW + 17 upper-case letters/digits
const SCW_ACCESS_KEY = /\bSCW[A-Z0-9]{17}\b/g;

export interface Masker {
  (text: string): string;
  /** the secret values this masker hides (for tests; never print them) */
  readonly count: number;
  /** mask a line that was cut short: a secret's beginning at its very end is dropped first */
  partial(text: string): string;
}

/** Build a masker for these secret values (empty/short ones are ignored). */
export function createMasker(secrets: Iterable<string | undefined>): Masker {
  const values = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < MIN_SECRET_LENGTH) continue;
    values.add(s);
    const url = encodeURIComponent(s);
    if (url !== s) values.add(url);
    // the value as JSON strings hold it, up to three deep (a JSON document inside a JSON string,
    // inside an Ansible event): each level escapes the last one's quotes and backslashes again
    // (visited per secret: a secret that is another's JSON form still gets its own deeper forms)
    const seen = new Set([s]);
    let level = [s];
    for (let depth = 0; depth < 3; depth++) {
      const next: string[] = [];
      for (const v of level) for (const e of jsonForms(v)) if (!seen.has(e)) (seen.add(e), next.push(e));
      for (const e of next) values.add(e);
      level = next;
    }
  }
  // longest first, so a secret containing another is masked whole
  const sorted = [...values].sort((a, b) => b.length - a.length);
  const fn = ((text: string) => maskText(text, sorted)) as Masker;
  Object.defineProperty(fn, 'count', { value: sorted.length });
  // whole secrets first (a secret whose end repeats its start, s3cr3ts, must not lose its whole
  // occurrence to the cut), then a secret's beginning left at the end, then the patterns
  fn.partial = (text: string) => maskText(dropSecretStart(maskValues(text, sorted), sorted), sorted);
  return fn;
}

/** `v` inside a JSON string, as each encoder writes it: JSON.stringify; Python's json.dumps (the
 * Ansible jsonl callback), which escapes every non-ASCII character (\u00e9); Go's encoding/json
 * (tofu's -json, hclog), which also escapes &, <, > and U+2028/9 (\u0026 …) */
function jsonForms(v: string): string[] {
  const json = JSON.stringify(v).slice(1, -1);
  const ascii = json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const goJson = (t: string) => t.replace(/[&<>\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...new Set([json, ascii, goJson(json), goJson(ascii)])].filter((e) => e !== v);
}

/** `text` without a trailing beginning of one of the secrets (a cut line may end inside one). */
function dropSecretStart(text: string, secrets: readonly string[]): string {
  let cut = 0;
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, text.length); k > cut; k--) {
      if (text.endsWith(s.slice(0, k))) {
        cut = k;
        break;
      }
    }
  }
  return cut ? text.slice(0, -cut) : text;
}

/** Mask `text` (a line, or whole lines) with the given secret values and the built-in patterns. */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = maskValues(text, secrets);
  // the keyed and header patterns run only on a line holding one of their words (every KEY
  // word holds "pass", "token" or "secret_key"; both headers hold "auth"): most lines hold none,
  // and one search for the words is far cheaper than trying the patterns at every position
  if (WORDS.test(out)) out = maskWordLines(out);
  if (out.includes('SCW')) out = out.replace(SCW_ACCESS_KEY, 'SCW' + MASK);
  return out;
}

/** Every occurrence of every secret value masked; overlapping occurrences (one secret's tail being
 * another's start) are masked as one run, so neither leaks a part. */
function maskValues(text: string, secrets: readonly string[]): string {
  let ranges: [number, number][] | undefined;
  for (const s of secrets) {
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) (ranges ??= []).push([i, i + s.length]);
  }
  if (!ranges) return text;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let done = 0;
  let [start, end] = ranges[0]!;
  for (const [a, b] of ranges.slice(1)) {
    if (a <= end) {
      end = Math.max(end, b);
      continue;
    }
    out += text.slice(done, start) + MASK;
    done = end;
    [start, end] = [a, b];
  }
  return out + text.slice(done, start) + MASK + text.slice(end);
}

const WORDS = /pass|token|secret_key|auth/i;

/** a keyed pair with its value masked (a value masked already stays as it is) */
const keyed = (k: string, v: string) => (v === MASK ? `${k}${v}` : `${k}${MASK}`);

/** The keyed patterns and HEADER applied to each line of `text` that holds one of their words. */
function maskWordLines(text: string): string {
  const words = /pass|token|secret_key|auth/gi;
  let out = '';
  let done = 0;
  for (let m = words.exec(text); m; m = words.exec(text)) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    let end = text.indexOf('\n', m.index);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    for (const quoted of KEYED_QUOTED) line = line.replace(quoted, (_m, k: string, _q: string, v: string) => keyed(k, v));
    line = line.replace(KEYED_BARE, (_m, k: string, v: string) => keyed(k, v)).replace(HEADER, (_m, k: string) => `${k}${MASK}`);
    out += text.slice(done, start) + line;
    done = end;
    words.lastIndex = end;
  }
  return out + text.slice(done);
}

/** A command line for display: quoted where needed, secrets masked. */
export function displayCommand(command: string, args: readonly string[], mask: (s: string) => string): string {
  const q = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return mask([command, ...args].map(q).join(' '));
}

/**
 * Variables whose value is a secret whenever a tool inherits one, whatever its shape: a malformed
 * SCW_SECRET_KEY that onedeck itself refused still reaches the tool through the environment.
 */
export const SECRET_ENV_NAMES = [
  'SCW_SECRET_KEY',
  'SCW_ACCESS_KEY',
  'SCW_FLEXIBLE_IP_TOKEN',
  'ONE_PASSWORD',
  'ONE_AUTH_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SESSION_TOKEN',
  'TF_HTTP_PASSWORD',
] as const;

/** The values a job's masker hides: the job's own secret variables and every well-known one set in `env`. */
export function secretEnvValues(names: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const all = new Set<string>([...names, ...SECRET_ENV_NAMES]);
  return [...all].map((n) => env[n]).filter((v): v is string => !!v);
}
