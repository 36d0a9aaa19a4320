// The bench's stand-in tool: `node flood.mjs COUNT [LINES_PER_SECOND]` prints COUNT numbered
// lines of ~90 characters ("flood <n> …"), as fast as stdout takes them or at the given rate.
const count = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 0);
const pad = ' lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor';
const line = (n) => `flood ${String(n).padStart(7, '0')} ${pad}\n`;
let n = 0;
function burst(max) {
  let chunk = '';
  const end = Math.min(count, n + max);
  while (n < end) chunk += line(n++);
  return chunk;
}
if (rate <= 0) {
  const pump = () => {
    while (n < count) {
      if (!process.stdout.write(burst(2000))) return void process.stdout.once('drain', pump);
    }
  };
  pump();
} else {
  const start = Date.now();
  const tick = () => {
    const due = Math.min(count, Math.floor(((Date.now() - start) / 1000) * rate));
    if (due > n) process.stdout.write(burst(due - n));
    if (n < count) setTimeout(tick, 10);
  };
  tick();
}
