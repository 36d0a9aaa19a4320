// Edits of onedeck.yaml that keep the operator's comments and layout: add or remove hypervisor
// names through the yaml Document API (never a parse + stringify round trip), written atomically
// (temp file + fsync + rename + fsync of the directory) after a backup of the previous file.
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, YAMLSeq } from 'yaml';
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

function hypervisorSeq(doc: Document.Parsed, file: string, create: boolean): YAMLSeq | undefined {
  const node = doc.get('hypervisors', true);
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
    if (!create) return undefined;
    const seq = new YAMLSeq();
    doc.set('hypervisors', seq);
    return seq;
  }
  if (!isSeq(node)) {
    throw new OnedeckError(`${file}: hypervisors is not a list`, { hint: 'Write hypervisors as a list of names: hypervisors: [kvm-1, kvm-2].' });
  }
  return node as YAMLSeq;
}

/** The hypervisor names the text lists, in order. */
export function listHypervisors(text: string, file = 'onedeck.yaml'): string[] {
  const seq = hypervisorSeq(parse(text, file), file, false);
  return seq ? seq.items.map(itemName).filter((n): n is string => !!n) : [];
}

/** The text with `names` appended to hypervisors (names already there are left alone). */
export function addHypervisors(text: string, names: string[], file = 'onedeck.yaml'): string {
  const doc = parse(text, file);
  const seq = hypervisorSeq(doc, file, true)!;
  const have = new Set(seq.items.map(itemName));
  // follow the list's style: mappings when the existing items are mappings, bare names otherwise
  const asMaps = seq.items.length > 0 && seq.items.every((i) => isMap(i));
  for (const n of names) {
    if (have.has(n)) continue;
    seq.add(doc.createNode(asMaps ? { name: n } : n));
    have.add(n);
  }
  return doc.toString({ lineWidth: 0 });
}

/** The text without the hypervisors named (their comments go with them). */
export function removeHypervisors(text: string, names: string[], file = 'onedeck.yaml'): string {
  const doc = parse(text, file);
  const seq = hypervisorSeq(doc, file, false);
  if (!seq) return text;
  const drop = new Set(names);
  const kept = seq.items.filter((i) => !drop.has(itemName(i) ?? ''));
  if (kept.length === seq.items.length) return text;
  // a comment written above the first item belongs to the list's layout: keep it on the new first item
  const first = seq.items[0] as { commentBefore?: string | null } | undefined;
  const newFirst = kept[0] as { commentBefore?: string | null } | undefined;
  if (first && newFirst && first !== newFirst && first.commentBefore && !newFirst.commentBefore) newFirst.commentBefore = first.commentBefore;
  seq.items = kept;
  return doc.toString({ lineWidth: 0 });
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
