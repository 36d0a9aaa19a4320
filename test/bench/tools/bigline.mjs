// The bench's stand-in tool for one huge line: `node bigline.mjs MEGABYTES` prints one line of
// that size with the secret of $BENCH_SECRET near its start, middle and end, then "bigline done".
const mb = Number(process.argv[2] ?? 50);
const secret = process.env.BENCH_SECRET ?? '';
const filler = 'abcdefghij'.repeat(1024 * 1024 * mb / 10 / 2);
const line = `password=${secret} ${filler}${secret}${filler} token ${secret}\n`;
process.stdout.write(line);
process.stdout.write('bigline done\n');
