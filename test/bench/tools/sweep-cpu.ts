// What one health sweep costs in CPU in the UI process: tsx test/bench/tools/sweep-cpu.ts ONEDECK_YAML [SWEEPS]
// (run it with --cpu-prof to see where)
import { loadConfigFile } from '../../../src/config/load.js';
import { Sweeper } from '../../../src/health/sweep.js';

const [file, n = '20'] = process.argv.slice(2);
const config = loadConfigFile(file, { sandbox: true });
const sweeper = new Sweeper(config, {});
await sweeper.sweep();
await sweeper.sweep();
const u0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < Number(n); i++) await sweeper.sweep();
const u = process.cpuUsage(u0);
console.log(`per sweep: ${((performance.now() - t0) / Number(n)).toFixed(1)} ms wall, ${((u.user + u.system) / 1000 / Number(n)).toFixed(1)} ms CPU`);
await sweeper.close();
process.exit(0);
