// Edits of onedeck.yaml that keep the operator's comments and layout: add or remove hypervisor
// names, located with the yaml Document API and spliced into the text (so every other byte stays),
// written atomically
// (temp file + fsync + rename + fsync of the directory) after a backup of the previous file.
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { OnedeckError } from '../errors.js';

/** The name of one `hypervisors:` item: a bare string or a mapping with `name`. */
function itemName(item: unknown): string | undefined {
  if (isScalar(item)) return typeof item.value === 'string' ? item.value : undefined;
  if (isMap(item)) {
    const n = item.get('name');
    return typeof n === 'string' ? n : undefined;
  }
  return undefined;
}

function parse(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    throw new OnedeckError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`, {
      hint: 'Fix the YAML by hand first; onedeck edits only a file it can read.',
    });
  }
  return doc;
}

function hypervisorSeq(doc: Document.Parsed, file: string): YAMLSeq | undefined {
  const node = doc.get('hypervisors', true);
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
  if (!isSeq(node)) {
    throw new OnedeckError(`${file}: hypervisors is not a list`, { hint: 'Write hypervisors as a list of names: hypervisors: [kvm-1, kvm-2].' });
  }
  return node as YAMLSeq;
}

/** The hypervisor names the text lists, in order. */
export function listHypervisors(text: string, file = 'onedeck.yaml'): string[] {
  const seq = hypervisorSeq(parse(text, file), file);
  return seq ? seq.items.map(itemName).filter((n): n is string => !!n) : [];
}

type Ranged = { range?: [number, number, number] | null };

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
/** index just past the newline ending the line that holds `pos` (or the text's end) */
const lineEnd = (text: string, pos: number) => {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i + 1;
};
/** the end of an item's own lines: its value and a comment on its last line */
const itemEnd = (text: string, r: [number, number, number]) => {
  const last = r[1] > r[0] && text[r[1] - 1] === '\n' ? r[1] - 1 : r[1];
  return lineEnd(text, Math.max(r[0], last - (text[last - 1] === '\n' ? 1 : 0)));
};

/**
 * The text with `names` appended to hypervisors (names already there are left alone). The text
 * is spliced at the list's end, so every other byte (comments, spacing, quoting) stays as it was.
 */
export function addHypervisors(text: string, names: string[], file = 'onedeck.yaml'): string {
  const doc = parse(text, file);
  const seq = hypervisorSeq(doc, file);
  const have = new Set(seq?.items.map(itemName) ?? []);
  const fresh = [...new Set(names)].filter((n) => !have.has(n));
  if (fresh.length === 0) return text;
  if (!seq) {
    if (doc.get('hypervisors', true) !== undefined) {
      // `hypervisors:` with no value: let the Document API write the list
      const d = parse(text, file);
      d.set('hypervisors', d.createNode(fresh));
      return d.toString({ lineWidth: 0 });
    }
    const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}hypervisors:\n${fresh.map((n) => `  - ${n}\n`).join('')}`;
  }
  const asMaps = seq.items.length > 0 && seq.items.every((i) => isMap(i));
  const r = (seq as Ranged).range;
  if (seq.flow && r) {
    const close = text.lastIndexOf(']', r[1]);
    let at = close;
    while (at > 0 && /\s/.test(text[at - 1])) at--;
    const add = fresh.map((n) => (asMaps ? `{ name: ${n} }` : n)).join(', ');
    return text.slice(0, at) + (seq.items.length ? `, ${add}` : add) + text.slice(at);
  }
  const last = seq.items[seq.items.length - 1] as Ranged | undefined;
  if (!last?.range || !r) {
    for (const n of fresh) seq.add(doc.createNode(asMaps ? { name: n } : n));
    return doc.toString({ lineWidth: 0 });
  }
  const start = lineStart(text, last.range[0]);
  const dash = text.slice(start, last.range[0]);
  const indent = /^(\s*)-/.exec(dash)?.[1] ?? '  ';
  const at = itemEnd(text, last.range);
  const nl = text[at - 1] === '\n' ? '' : '\n';
  const lines = fresh.map((n) => `${indent}- ${asMaps ? `name: ${n}` : n}\n`).join('');
  return text.slice(0, at) + nl + lines + text.slice(at);
}

/** The text without the hypervisors named: each item's own lines go, everything else stays. */
export function removeHypervisors(text: string, names: string[], file = 'onedeck.yaml'): string {
  const doc = parse(text, file);
  const seq = hypervisorSeq(doc, file);
  if (!seq) return text;
  const drop = new Set(names);
  const victims = seq.items.filter((i) => drop.has(itemName(i) ?? ''));
  if (victims.length === 0) return text;
  const ranged = victims.every((v) => (v as Ranged).range);
  if (seq.flow || !ranged) {
    seq.items = seq.items.filter((i) => !victims.includes(i));
    return doc.toString({ lineWidth: 0 });
  }
  let out = text;
  // from the last to the first, so earlier offsets stay valid
  for (const v of [...victims].sort((a, b) => (b as Ranged).range![0] - (a as Ranged).range![0])) {
    const r = (v as Ranged).range!;
    out = out.slice(0, lineStart(out, r[0])) + out.slice(itemEnd(out, r));
  }
  if (seq.items.length === victims.length) {
    // the list is now empty: say so explicitly instead of leaving `hypervisors:` (null)
    out = out.replace(/^(hypervisors:)[ \t]*(#.*)?$/m, (_m, k: string, c?: string) => `${k} []${c ? ` ${c}` : ''}`);
  }
  return out;
}

/** Write `text` to `file` atomically; the previous content is kept in `<file>.bak` first. */
export function writeConfigAtomic(file: string, text: string): { backup?: string } {
  const dir = dirname(file);
  let mode = 0o600;
  let backup: string | undefined;
  if (existsSync(file)) {
    mode = statSync(file).mode & 0o777;
    backup = `${file}.bak`;
    copyFileSync(file, backup);
    fsyncPath(backup);
  }
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncPath(dir);
  return backup ? { backup } : {};
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(p, 'r');
    fsyncSync(fd);
  } catch {
    /* a directory fsync is not supported everywhere */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Read, edit and write back onedeck.yaml; `changed` is false when the file already said so. */
export function editConfigFile(file: string, edit: { add?: string[]; remove?: string[] }): { changed: boolean; backup?: string } {
  const before = readFileSync(file, 'utf8');
  let after = before;
  if (edit.add?.length) after = addHypervisors(after, edit.add, file);
  if (edit.remove?.length) after = removeHypervisors(after, edit.remove, file);
  if (after === before) return { changed: false };
  return { changed: true, ...writeConfigAtomic(file, after) };
}
