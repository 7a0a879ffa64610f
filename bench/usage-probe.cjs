// Preloaded into a benchmarked process (`node -r ./bench/usage-probe.cjs ...`): when it exits, writes the
// process's own resource usage (all threads: user and system CPU, peak resident set) to the file named by
// EPOCHLINT_BENCH_USAGE, the figures /usr/bin/time reports. A bare `node -r probe -e 0` pays the same.
const { writeFileSync } = require('node:fs');

const out = process.env.EPOCHLINT_BENCH_USAGE;
if (out !== undefined) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({ cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssKb: usage.maxRSS }),
    );
  });
}
