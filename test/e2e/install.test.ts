/**
 * The README's install recipes on a clean checkout: `npm install --global ./epochlint` from a fresh
 * clone (a folder without node_modules or dist/), then `npm pack` and a global install of the tarball.
 * Both go to a temporary prefix, never the machine's global one. Slow (npm installs the dependencies
 * from its cache or the registry), so both recipes share one checkout.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../cli/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'epochlint-install-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What a fresh clone holds: the sources, without anything installed, built or generated. */
const NOT_IN_A_CLONE = new Set(['node_modules', 'dist', '.git', '.data', 'coverage']);

function npm(args: string[], cwd: string) {
  // npm's own settings for this run (a test started by `npm test` inherits them) must not redirect it
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return spawnSync('npm', [...args, '--no-audit', '--no-fund'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

function epochlint(prefix: string, args: string[]) {
  return spawnSync(join(prefix, 'bin', 'epochlint'), args, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('global installs from a checkout', () => {
  const clone = join(work, 'epochlint');
  cpSync(ROOT, clone, {
    recursive: true,
    filter: (source) =>
      !relative(ROOT, source)
        .split(/[\\/]/)
        .some((part) => NOT_IN_A_CLONE.has(part)),
  });
  const seed = join(ROOT, 'fixtures/real/crossvalidated-416172.txt');

  test('npm install --global ./epochlint from a fresh clone', () => {
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const prefix = join(work, 'from-clone');
    const install = npm(['install', '--global', '--prefix', prefix, './epochlint'], work);
    expect(install.stderr).not.toMatch(/tsc: not found|ERR!/);
    expect(install.status).toBe(0);
    const version = epochlint(prefix, ['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const lint = epochlint(prefix, [seed]);
    expect(lint.status).toBe(1);
    expect(lint.stdout.split('\n')[0]).toMatch(/^✖ Validation metric alternates between epochs/);
  }, 300_000);

  test('npm pack, then npm install --global of the tarball', () => {
    const pack = npm(['pack', '--pack-destination', work], clone);
    expect(pack.status).toBe(0);
    const tarball = readdirSync(work).find((f) => /^epochlint-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    const prefix = join(work, 'from-pack');
    const install = npm(['install', '--global', '--prefix', prefix, join(work, tarball ?? '')], work);
    expect(install.status).toBe(0);
    // the tarball ships the build and only what the CLI needs
    const installed = join(prefix, 'lib', 'node_modules', 'epochlint');
    expect(readdirSync(installed).sort()).toEqual([
      'README.md',
      'bin',
      'dist',
      'node_modules',
      'package.json',
    ]);
    expect(readdirSync(join(installed, 'bin'))).toEqual(['epochlint.js']);
    const lint = epochlint(prefix, [seed, '--format', 'json']);
    expect(lint.status).toBe(1);
    expect(JSON.parse(lint.stdout)).toMatchObject({ schemaVersion: 1 });
  }, 300_000);
});
