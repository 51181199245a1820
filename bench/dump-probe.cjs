// Preloaded (--require) into the `closewait dump` processes the dump bench spawns: on exit, writes to the file named
// by CLOSEWAIT_BENCH_PROBE the milliseconds since this preload ran (loading the CLI, reading, decoding, analysing
// and printing the report: all but starting Node) and the process's peak resident set size in bytes.
const started = performance.now();
process.on('exit', () => {
  const file = process.env.CLOSEWAIT_BENCH_PROBE;
  if (file) require('node:fs').writeFileSync(file, JSON.stringify({ ms: performance.now() - started, peakRss: process.resourceUsage().maxRSS * 1024 }));
});
