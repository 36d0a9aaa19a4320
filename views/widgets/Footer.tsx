// The bottom row: the current screen's key hints (from the registry), or the last flash message.
// Mutating actions stay listed in a read-only session, dimmed; actions disabled for another
// reason (no log focused, ...) are left out to save room. Global hints are kept last and never
// dropped: when the row is too narrow, screen hints go first.
import React from 'react';
import { currentScreen } from '../../src/store/ui-store.js';
import { useNow, useTui, useUi } from '../app/context.js';
import { keyLabel, width as sw, type Seg } from '../format/text.js';
import { Line } from './Line.js';

const FLASH_MS = 5000;

export function Footer({ width }: { width: number }): React.JSX.Element {
  const { registry, session, executor, ui } = useTui();
  const now = useNow();
  const screen = useUi((s) => currentScreen(s).id);
  const flash = useUi((s) => s.flash);
  useUi((s) => s.focus); // hints depend on the focused pane
  if (flash && now - flash.at < FLASH_MS && Date.now() - flash.at < FLASH_MS) {
    const tone = flash.level === 'error' ? 'bad' : flash.level === 'warn' ? 'warn' : 'accent';
    return <Line segs={[{ text: ' ' }, { text: flash.text, tone }]} width={width} />;
  }
  const hints: { segs: Seg[]; global: boolean }[] = [];
  for (const d of registry.forScreen(screen)) {
    if (!d.footer || d.keys.length === 0) continue;
    const readonlyOff = d.mutating && session.readonly;
    if (!readonlyOff && executor.disabledReason(d, session, ui)) continue;
    hints.push({
      global: d.scope === 'global',
      segs: [{ text: keyLabel(d.keys[0]), tone: readonlyOff ? 'dim' : 'key' }, { text: ` ${d.title}  `, tone: readonlyOff ? 'dim' : undefined }],
    });
  }
  const size = (h: { segs: Seg[] }) => h.segs.reduce((a, s) => a + sw(s.text), 0);
  let total = 1 + hints.reduce((a, h) => a + size(h), 0);
  for (let i = hints.length - 1; i >= 0 && total > width; i--) {
    if (hints[i].global) continue;
    total -= size(hints[i]);
    hints.splice(i, 1);
  }
  return <Line segs={[{ text: ' ' }, ...hints.flatMap((h) => h.segs)]} width={width} />;
}
