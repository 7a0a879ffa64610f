// `npm run fuzz`: the fuzz suite (test/fuzz) run longer. EPOCHLINT_FUZZ_SEED picks the seed (a fresh
// one otherwise), EPOCHLINT_FUZZ_SCALE multiplies every property's runs (default 20). The seed is
// printed first and again on failure, so a failing campaign can be replayed exactly.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const seed = process.env.EPOCHLINT_FUZZ_SEED || String(randomInt(1, 2 ** 31));
const scale = process.env.EPOCHLINT_FUZZ_SCALE || '20';
process.stdout.write(`fuzz: seed ${seed}, scale ${scale}\n`);
const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz', '--testTimeout=0'], {
  stdio: 'inherit',
  env: { ...process.env, EPOCHLINT_FUZZ_SEED: seed, EPOCHLINT_FUZZ_SCALE: scale },
});
if (result.status !== 0) {
  process.stdout.write(
    `fuzz: FAILED with seed ${seed}; replay: EPOCHLINT_FUZZ_SEED=${seed} EPOCHLINT_FUZZ_SCALE=${scale} npm run fuzz\n`,
  );
}
process.exit(result.status ?? 1);
