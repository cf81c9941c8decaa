// Preloaded into a benchmarked process: reports its peak resident memory (all threads) on exit.
process.on('exit', () => process.stderr.write(`\nscs-maxrss-kb=${process.resourceUsage().maxRSS}\n`));
