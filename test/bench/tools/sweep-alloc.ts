// What one health sweep allocates in the UI process, by function (a sampling heap profile that
// keeps the objects the GC already collected): tsx test/bench/tools/sweep-alloc.ts ONEDECK_YAML [SWEEPS]
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { loadConfigFile } from '../../../src/config/load.js';
import { Sweeper } from '../../../src/health/sweep.js';

const [file, n = '5'] = process.argv.slice(2);
const config = loadConfigFile(file, { sandbox: true });
const sweeper = new Sweeper(config, {});
await sweeper.sweep();
await sweeper.sweep();
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
let grew = 0;
for (let i = 0; i < Number(n); i++) {
  const a = newSpace();
  await sweeper.sweep();
  grew += newSpace() - a;
}
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: Node } };
interface Node { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] }
const self = new Map<string, number>();
const incl = new Map<string, number>();
const walk = (node: Node, stack: string[]): number => {
  const k = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + node.selfSize);
  let total = node.selfSize;
  for (const c of node.children) total += walk(c, [...stack, k]);
  if (!stack.includes(k)) incl.set(k, (incl.get(k) ?? 0) + total);
  return total;
};
const total = walk(profile.head, []);
console.log(`per sweep: ~${(total / Number(n) / 1024).toFixed(0)} KB sampled; new space grew ${(grew / Number(n) / 1024).toFixed(0)} KB (between GCs)`);
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / Number(n) / 1024).toFixed(0).padStart(7)} KB  ${k}`).join('\n');
console.log('--- inclusive\n' + top(incl));
await sweeper.close?.();
process.exit(0);
