// The bottom row: the current screen's key hints (from the registry), or the last flash message,
// or for a few seconds the cluster's newest notice (a job's end, an inventory not rendered).
// Mutating actions stay listed in a read-only session, dimmed; actions disabled for another
// reason (no log focused, ...) are left out to save room. Global hints are kept last and never
// dropped: when the row is too narrow, short labels are used, then screen hints go.
import React from 'react';
import { actionLabel } from '../../src/actions/registry.js';
import { currentScreen } from '../../src/store/ui-store.js';
import { currentNotice } from '../../src/domain/job-progress.js';
import { useCluster, useNow, useTui, useUi } from '../app/context.js';
import { keyLabel, width as sw, type Seg } from '../format/text.js';
import { Line } from './Line.js';

const FLASH_MS = 5000;

/** a message too long for the row loses its middle: the end often holds the path or the fix */
function middleCut(text: string, w: number): string {
  if (sw(text) <= w || w < 10) return text;
  const head = Math.floor((w - 1) * 0.4);
  const chars = [...text];
  let tail = '';
  for (let i = chars.length - 1; i >= 0 && sw(chars[i] + tail) <= w - 1 - head; i--) tail = chars[i] + tail;
  return `${chars.slice(0, head).join('')}…${tail}`;
}

export function Footer({ width }: { width: number }): React.JSX.Element {
  const { registry, session, executor, ui, clock = Date.now } = useTui();
  const screen = useUi((s) => currentScreen(s).id);
  const flash = useUi((s) => s.flash);
  useUi((s) => s.focus); // hints depend on the focused pane
  const notices = useCluster((s) => s.notices);
  // the session's own flash first, else the cluster's newest notice while it is recent
  const messageAt = (now: number) => (flash && now - flash.at < FLASH_MS && clock() - flash.at < FLASH_MS ? flash : currentNotice(notices, now));
  const message = messageAt(useNow((now) => { const m = messageAt(now); return m ? `${m.level}|${m.text}` : ''; }));
  const defs = registry.forScreen(screen).filter((d) => d.footer && d.keys.length > 0);
  const shownNow = () =>
    defs.flatMap((d) => {
      const readonlyOff = d.mutating && session.readonly;
      if (!readonlyOff && executor.disabledReason(d, session, ui)) return [];
      return [{ d, off: readonlyOff }];
    });
  // which hints show follows the disabled reasons, which read both stores (a lock taken in another
  // terminal, a tool installed): redraw when that list changes, whatever changed it
  const hintKey = () => shownNow().map(({ d, off }) => `${d.id}${off ? '-' : ''}`).join(' ');
  useCluster(hintKey);
  useUi(hintKey);
  if (message) {
    const tone = message.level === 'error' ? 'bad' : message.level === 'warn' ? 'warn' : 'accent';
    return <Line segs={[{ text: ' ' }, { text: middleCut(message.text, width - 1), tone }]} width={width} />;
  }
  const shown = shownNow();
  // the full labels when they fit, else the short ones, else screen hints go (globals stay)
  const build = (short: boolean) =>
    shown.map(({ d, off }) => ({
      global: d.scope === 'global',
      rank: d.mutating ? 1 : d.disabledReason ? 2 : 0,
      segs: [
        { text: keyLabel(d.keys[0]), tone: off ? 'dim' : 'key' },
        { text: ` ${short ? d.short ?? actionLabel(d) : actionLabel(d)}  `, tone: off ? 'dim' : undefined },
      ] as Seg[],
    }));
  const size = (h: { segs: Seg[] }) => h.segs.reduce((a, s) => a + sw(s.text), 0);
  let hints = build(false);
  if (1 + hints.reduce((a, h) => a + size(h), 0) > width) hints = build(true);
  let total = 1 + hints.reduce((a, h) => a + size(h), 0);
  // what is always there goes first (the help lists it), then the cluster actions, and last what
  // only shows up now (o once a plan exists, the log keys once a log is focused); the last first
  for (const rank of [0, 1, 2]) {
    for (let i = hints.length - 1; i >= 0 && total > width; i--) {
      if (hints[i].global || hints[i].rank !== rank) continue;
      total -= size(hints[i]);
      hints.splice(i, 1);
    }
  }
  return <Line segs={[{ text: ' ' }, ...hints.flatMap((h) => h.segs)]} width={width} />;
}
