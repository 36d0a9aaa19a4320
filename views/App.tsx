// The full-screen shell: header, the current screen, a confirmation dialog when one is asked,
// and the footer (or the prompt). The root is one row shorter than the terminal: Ink 6.8
// clears the whole screen on every frame when the output is as tall as the terminal.
import React from 'react';
import { Box, Text } from 'ink';
import { currentScreen, type ScreenId } from '../src/store/ui-store.js';
import { ClockProvider, useTui, useUi } from './app/context.js';
import { useKeyRouter } from './app/useKeyRouter.js';
import { useTerminalSize } from './app/useTerminalSize.js';
import { Header } from './widgets/Header.js';
import { Footer } from './widgets/Footer.js';
import { PromptLine } from './widgets/PromptLine.js';
import { ConfirmDialog, confirmHint, dialogHeight } from './widgets/ConfirmDialog.js';
import { MessageDialog, messageHeight } from './widgets/MessageDialog.js';
import { OperationScreen, OperationsScreen } from './screens/OperationsScreen.js';
import { Line } from './widgets/Line.js';
import { HostsScreen } from './screens/HostsScreen.js';
import { HostDetailScreen } from './screens/HostDetailScreen.js';
import { JobsScreen } from './screens/JobsScreen.js';
import { LogsScreen } from './screens/LogsScreen.js';
import { HookLogScreen } from './screens/HookLogScreen.js';
import { PlanScreen } from './screens/PlanScreen.js';
import { HelpScreen } from './screens/HelpScreen.js';
import { DoctorScreen } from './screens/DoctorScreen.js';

const MIN_COLUMNS = 60;
const MIN_ROWS = 12;

const SCREENS: Record<ScreenId, (p: { width: number; height: number }) => React.JSX.Element> = {
  hosts: HostsScreen,
  host: HostDetailScreen,
  jobs: JobsScreen,
  logs: LogsScreen,
  hooklog: HookLogScreen,
  plan: PlanScreen,
  help: HelpScreen,
  doctor: DoctorScreen,
  ops: OperationsScreen,
  op: OperationScreen,
};

function Body({ width, height }: { width: number; height: number }): React.JSX.Element {
  const id = useUi((s) => currentScreen(s).id);
  const Screen = SCREENS[id];
  return <Screen width={width} height={height} />;
}

export function App(): React.JSX.Element {
  const { stdout } = useTui();
  const size = useTerminalSize(stdout);
  // the last column stays empty: a terminal erasing to the end of a full-width line (Ink does
  // after each changed line) would take the character in the last column with it
  const columns = size.columns - 1;
  const rows = size.rows;
  useKeyRouter(columns < MIN_COLUMNS || rows < MIN_ROWS);
  const prompt = useUi((s) => s.prompt);
  const message = useUi((s) => s.dialog);
  const height = Math.max(1, rows - 1);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box width={columns} height={height}>
        <Text wrap="truncate">{`terminal too small: ${size.columns}x${rows}, onedeck needs ${MIN_COLUMNS + 1}x${MIN_ROWS} (q quits)`}</Text>
      </Box>
    );
  }
  const dialog = prompt?.kind === 'confirm' || prompt?.kind === 'typed-confirm';
  const textPrompt = !!prompt && !dialog;
  const dialogH = dialog ? dialogHeight(prompt.question, Math.max(5, height - 6)) : 0;
  const messageH = message && !dialog ? messageHeight(message, columns, Math.max(5, height - 6)) : 0;
  const bodyH = height - 2 - dialogH - messageH;
  return (
    <ClockProvider>
      <Box flexDirection="column" width={columns} height={height} overflow="hidden">
        <Header width={columns} />
        <Box height={bodyH} width={columns} flexDirection="column" overflow="hidden">
          <Body width={columns} height={bodyH} />
        </Box>
        {dialog && <ConfirmDialog width={columns} height={dialogH} />}
        {messageH > 0 && <MessageDialog width={columns} height={messageH} />}
        {dialog ? <Line segs={confirmHint(prompt.kind === 'typed-confirm')} width={columns} /> : textPrompt ? <PromptLine width={columns} /> : <Footer width={columns} />}
      </Box>
    </ClockProvider>
  );
}
