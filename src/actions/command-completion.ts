// Completion on the `:` command line: the action name, then its arguments as the action declares
// them (`ActionDef.complete`: host names, job ids). Pure: reads the registry and the cluster store.
import type { ClusterState } from '../store/cluster-store.js';
import { shortJobId } from '../domain/job-progress.js';
import type { ActionRegistry } from './registry.js';

export interface Candidates {
  /** what the word being typed may become */
  words: string[];
  /** the text before that word (the command and a space, or nothing) */
  head: string;
  /** the word being typed */
  word: string;
}

function commonPrefix(words: string[]): string {
  let p = words[0] ?? '';
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export function candidates(text: string, registry: ActionRegistry, cluster: Pick<ClusterState, 'hosts' | 'jobs'>): Candidates {
  const space = text.indexOf(' ');
  if (space < 0) return { words: registry.complete(text), head: '', word: text };
  const cmd = text.slice(0, space);
  const rest = text.slice(space + 1);
  // the word under the cursor is the last one; the earlier arguments stay as typed
  const cut = rest.lastIndexOf(' ') + 1;
  const head = `${cmd} ${rest.slice(0, cut)}`;
  const word = rest.slice(cut);
  const kind = registry.get(cmd)?.complete;
  let pool: string[] = [];
  if (kind === 'hosts') pool = cluster.hosts.map((h) => h.key);
  else if (kind === 'jobs') pool = cluster.jobs.flatMap((j) => [j.id, shortJobId(j.id)]).filter((x, i, a) => a.indexOf(x) === i);
  const typed = rest.slice(0, cut).split(' ').filter(Boolean);
  return { words: pool.filter((w) => w.startsWith(word) && !typed.includes(w)), head, word };
}

/** Tab: the single candidate and a space, else the candidates' common prefix; the typed text is never shortened */
export function completeText(text: string, registry: ActionRegistry, cluster: Pick<ClusterState, 'hosts' | 'jobs'>): string {
  const c = candidates(text, registry, cluster);
  if (c.words.length === 1) return `${c.head}${c.words[0]} `;
  if (c.words.length > 1) {
    const p = commonPrefix(c.words);
    return p.length > c.word.length ? `${c.head}${p}` : text;
  }
  return text;
}
