// The one list of actions: help, footer hints, key bindings and the `:` command line are all
// generated from it.
import type { ScreenId } from '../store/ui-store.js';
import type { ActionDef } from './types.js';

/** the title without its "(:usage …)" part, for messages and the footer */
export function actionLabel(def: Pick<ActionDef, 'title'>): string {
  return def.title.replace(/\s*\([^()]*\)\s*$/, '');
}

export class ActionRegistry {
  private readonly byId = new Map<string, ActionDef>();

  constructor(defs: ActionDef[] = []) {
    for (const d of defs) this.add(d);
  }

  add(def: ActionDef): void {
    if (this.byId.has(def.id)) throw new Error(`action ${def.id} registered twice`);
    this.byId.set(def.id, def);
  }

  get(id: string): ActionDef | undefined {
    return this.byId.get(id) ?? this.all().find((d) => d.aliases?.includes(id));
  }

  all(): ActionDef[] {
    return [...this.byId.values()];
  }

  /** actions that apply on a screen (its own scope first, then global ones) */
  forScreen(screen: ScreenId): ActionDef[] {
    const own = this.all().filter((d) => d.scope !== 'global' && d.scope.includes(screen));
    const global = this.all().filter((d) => d.scope === 'global');
    return [...own, ...global];
  }

  /** the action bound to `key` on `screen`, the screen's own binding winning over a global one */
  forKey(screen: ScreenId, key: string): ActionDef | undefined {
    return this.forScreen(screen).find((d) => d.keys.includes(key));
  }

  /** how to reach an action, for messages ("press p"): its first key, else its `:` command */
  keyOf(id: string): string {
    const def = this.get(id);
    const k = def?.keys[0];
    if (!k) return `:${def?.id ?? id}`;
    return k.startsWith('ctrl+') ? `ctrl-${k.slice(5)}` : k === 'escape' ? 'esc' : k;
  }

  /** names the `:` command line accepts: ids and aliases */
  commandNames(): string[] {
    // each name once: an alias may repeat the id (quit: q, quit)
    return [...new Set(this.all().flatMap((d) => [d.id, ...(d.aliases ?? [])]))].sort();
  }

  /** completions for a partly typed command */
  complete(prefix: string): string[] {
    const p = prefix.trim();
    return this.commandNames().filter((n) => n.startsWith(p));
  }
}
