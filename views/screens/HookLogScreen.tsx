// A host's Flexible-IP hook logs, tailed into a log pane.
import React from 'react';
import { currentScreen } from '../../src/store/ui-store.js';
import { useUi } from '../app/context.js';
import { LogPane } from '../widgets/LogPane.js';

export function HookLogScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const screen = useUi((s) => currentScreen(s));
  return (
    <LogPane
      logId={screen.logId}
      title={[{ text: `hook logs · ${screen.arg ?? '?'}`, tone: 'title' }, { text: ' · /var/log/vnm/scw-flexip-*.log', tone: 'dim' }]}
      width={width}
      height={height}
      focused
      empty="waiting for the first hook log lines"
    />
  );
}
