// Preloaded (--require) into the `closewait dump` processes the dump bench spawns: on exit, writes to the file named
// by CLOSEWAIT_BENCH_PROBE the milliseconds since this preload ran (loading the CLI, reading, decoding, analysing
// and printing the report: all but starting Node), the CPU time of the process (all its threads) over the same
// span, and the process's peak resident set size in bytes.
const started = performance.now();
const cpuAtStart = process.cpuUsage();
process.on('exit', () => {
  const file = process.env.CLOSEWAIT_BENCH_PROBE;
  if (!file) return;
  const cpu = process.cpuUsage(cpuAtStart);
  const figures = { ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, peakRss: process.resourceUsage().maxRSS * 1024 };
  require('node:fs').writeFileSync(file, JSON.stringify(figures));
});
