// Runs the epochlint CLI in this process and reports its peak RSS on stderr when it exits.
import { run } from '../dist/cli/main.js';

process.on('exit', () => {
  process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
});
process.argv.splice(1, 1, 'epochlint');
await run();
