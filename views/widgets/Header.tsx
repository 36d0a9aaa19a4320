// The top row: which cluster, what kind of session, how fresh the data is, which sources failed.
import React from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAgeNow, useCluster, useTui } from '../app/context.js';
import { width as sw, type Seg } from '../format/text.js';
import { isStale } from '../../src/domain/host-cells.js';
import { formatAge as age } from '../../src/domain/time-format.js';
import { Line } from './Line.js';
import { currentStep, runningOperation } from '../../src/actions/op-lists.js';

export function Header({ width }: { width: number }): React.JSX.Element {
  const { session } = useTui();
  const c = useCluster(
    useShallow((s) => ({
      info: s.info,
      refreshedAt: s.refreshedAt,
      refreshing: s.refreshing,
      errors: s.sourceErrors,
      frontends: s.hosts.filter((h) => h.role === 'frontend').length,
      hypervisors: s.hosts.filter((h) => h.role === 'hypervisor').length,
      keyLimited: !!s.access?.scaleway?.leftOut.length,
      keyReadOnly: !!s.access?.scaleway?.leftOut.length && s.access.scaleway.write.length === 0,
      noSudo: !!s.access?.ssh?.leftOut.length,
    })),
  );
  const narrow = width < 110;
  const ageText = (now: number) =>
    c.refreshedAt === undefined ? '' : `${age(now - c.refreshedAt)}${isStale(c.refreshedAt, now, c.info.refreshSeconds) ? ' stale' : ''}`;
  const now = useAgeNow(ageText);
  const op = useCluster((s) => runningOperation(s.operations));
  const right: Seg[] = [];
  if (op) {
    // an operation runs (here or from another terminal): its step, at a glance
    const step = currentStep(op);
    const n = step ? op.steps.indexOf(step) + 1 : 0;
    right.push({ text: ` ${op.title}: ${n}/${op.steps.length}${narrow ? '' : ` ${step?.id ?? ''}`} `, tone: 'badge' }, { text: ' ' });
  }
  if (c.info.sandbox) right.push({ text: ' SANDBOX ', tone: 'badge' }, { text: ' ' });
  if (session.readonly) right.push({ text: narrow ? ' RO ' : ' READ-ONLY ', tone: 'badge' }, { text: ' ' });
  // the credentials leave features out (cluster.access; the footer says which when a key is refused)
  if (c.keyLimited) right.push({ text: c.keyReadOnly ? (narrow ? ' KEY RO ' : ' KEY READ-ONLY ') : narrow ? ' KEY ' : ' KEY LIMITED ', tone: 'badge' }, { text: ' ' });
  if (c.noSudo) right.push({ text: ' NO SUDO ', tone: 'badge' }, { text: ' ' });
  for (const [src, err] of Object.entries(c.errors)) right.push({ text: `${src}: ${err}`, tone: 'warn' }, { text: '  ' });
  if (c.refreshing) right.push({ text: 'refreshing…', tone: 'accent' });
  else if (c.refreshedAt === undefined) right.push({ text: 'not refreshed yet', tone: 'dim' });
  else {
    const stale = isStale(c.refreshedAt, now, c.info.refreshSeconds);
    right.push({ text: `${narrow ? '' : 'refreshed '}${age(now - c.refreshedAt)} ago`, tone: stale ? 'warn' : 'dim' });
  }
  right.push({ text: ' ' });
  const hostsText = `${c.frontends} frontend + ${c.hypervisors} hypervisor${c.hypervisors === 1 ? '' : 's'}`;
  const parts = [c.info.name, c.info.zone, `OpenNebula ${c.info.opennebulaVersion}`, hostsText];
  const rightW = right.reduce((a, s) => a + sw(s.text), 0);
  let left = '';
  for (let n = parts.length; n >= 1; n--) {
    left = parts.slice(0, n).join(' · ');
    if (sw(left) + 11 + rightW <= width || n === 1) break;
  }
  const leftSegs: Seg[] = [{ text: ' onedeck ', tone: 'key' }, { text: ` ${left}`, tone: 'title' }];
  const leftW = leftSegs.reduce((a, s) => a + sw(s.text), 0);
  const gap = Math.max(1, width - leftW - rightW);
  return <Line segs={[...leftSegs, { text: ' '.repeat(gap) }, ...right]} width={width} />;
}
