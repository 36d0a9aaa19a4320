// The limit under every UI figure: what one Ink frame of 200x50 costs in CPU, when nothing
// changed and when one row changed. Bundled by run.ts twice (with and without the build's Ink
// output caches) and run on its own; prints one JSON line (ms of CPU per frame, medians).
import React, { useState } from 'react';
import { EventEmitter } from 'node:events';
import { render, Box, Text } from 'ink';

const COLS = 200;
const ROWS = 50;
const FRAMES = Number(process.argv[2] ?? 60);

class FakeTty extends EventEmitter {
  columns = COLS;
  rows = ROWS;
  isTTY = true;
  bytes = 0;
  write(s: string): boolean {
    this.bytes += Buffer.byteLength(s);
    return true;
  }
}

const word = (i: number) => `host-${String(i).padStart(3, '0')}`;
function row(i: number, tick: number, changed: number): string {
  const base = `${word(i)}  healthy  load 0.${(i * 7) % 100}  mem ${(i * 13) % 100}%  disk ${(i * 3) % 100}%  ssh 3 ms  libvirtd ok  hooks ok  one MONITORED ${i}s`;
  const text = i === changed ? `${base} tick ${tick}` : base;
  return text.padEnd(COLS - 1).slice(0, COLS - 1);
}

let bump: (n: number) => void = () => {};
let changedRow = -1;
function Screen(): React.JSX.Element {
  const [tick, setTick] = useState(0);
  bump = setTick;
  const lines: React.JSX.Element[] = [];
  for (let i = 0; i < ROWS - 1; i++) {
    lines.push(
      <Text key={i} wrap="truncate">
        <Text color="cyan">{row(i, tick, changedRow).slice(0, 12)}</Text>
        <Text inverse={i === 3}>{row(i, tick, changedRow).slice(12)}</Text>
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" width={COLS - 1} height={ROWS - 1} overflow="hidden">
      {lines}
    </Box>
  );
}

const out = new FakeTty();
const stdin = Object.assign(new EventEmitter(), { isTTY: false, setRawMode() {}, ref() {}, unref() {}, setEncoding() {}, read: () => null, resume() {}, pause() {} });
const app = render(<Screen />, { stdout: out as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, patchConsole: false, exitOnCtrlC: false, incrementalRendering: true, maxFps: 1000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(kind: 'unchanged' | 'one-row'): Promise<{ ms: number; bytes: number }> {
  const ms: number[] = [];
  const bytes: number[] = [];
  for (let n = 1; n <= FRAMES; n++) {
    changedRow = kind === 'one-row' ? 5 : -1;
    const b0 = out.bytes;
    const c0 = process.cpuUsage();
    bump(n);
    await sleep(5);
    const c = process.cpuUsage(c0);
    ms.push((c.user + c.system) / 1000);
    bytes.push(out.bytes - b0);
    await sleep(5);
  }
  ms.sort((a, b) => a - b);
  bytes.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)], bytes: bytes[Math.floor(bytes.length / 2)] };
}

await sleep(50);
const unchanged = await measure('unchanged');
const oneRow = await measure('one-row');
app.unmount();
console.log(JSON.stringify({ unchanged, oneRow }));
process.exit(0);
