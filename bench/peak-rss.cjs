// Preloaded (--require) into the CLI processes the scan bench spawns: on exit, writes the process's peak resident
// set size in bytes (worker threads included) to the file named by CLOSEWAIT_BENCH_RSS.
process.on('exit', () => {
  const file = process.env.CLOSEWAIT_BENCH_RSS;
  if (file) require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
});
