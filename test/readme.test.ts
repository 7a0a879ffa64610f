import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, ROOT, runCli } from './cli/run-cli.js';

/** The README's `sh` blocks are run as written (with `epochlint` on the PATH, as after `npm link`). */
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
const shim = mkdtempSync(join(tmpdir(), 'epochlint-readme-'));
writeFileSync(join(shim, 'epochlint'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
chmodSync(join(shim, 'epochlint'), 0o755);
afterAll(() => rmSync(shim, { recursive: true, force: true }));

// `npm install` / `npm test` are what this suite is run by; the rest of each line is run
const commands = blocks('sh')
  .flatMap((block) => block.split('\n'))
  .flatMap((line) => line.split('&&'))
  .map((line) => line.trim())
  .filter((line) => line.length > 0 && !line.startsWith('npm '));

/**
 * The words of a command line that needs no shell: plain words and single-quoted ones (a quoted glob
 * is epochlint's to expand), nothing the shell would act on. Null when the shell is needed.
 */
function plainWords(command: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i += 1) {
    const c = command[i] ?? '';
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return null;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === ' ') {
      if (word !== null) words.push(word);
      word = null;
    } else if ('|&;<>$`"\\(){}*?[~#'.includes(c)) return null;
    else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

describe('README examples', () => {
  test('there are runnable examples for every command', () => {
    for (const command of [
      'epochlint fixtures',
      'epochlint parse',
      'epochlint rules',
      'epochlint explain',
      'epochlint schema',
    ]) {
      expect(commands.some((c) => c.startsWith(command))).toBe(true);
    }
  });

  test.each(commands)('%s', async (command) => {
    // a plain `epochlint ...` runs in this process (the same main the binary calls); anything the shell
    // must take part in (pipes, redirections, ||, the shipped `node bin/epochlint.js`) is run by sh
    const words = plainWords(command);
    const result =
      words !== null && words[0] === 'epochlint'
        ? { ...(await runCli(words.slice(1))), status: null as number | null }
        : // the checkout's own entry point is run as the test build's (the same bin/epochlint.js)
          spawnSync('sh', ['-c', command.replace(/^node bin\/epochlint\.js /, `node "${BIN}" `)], {
            cwd: ROOT,
            env: { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
            encoding: 'utf8',
            maxBuffer: 64 << 20,
          });
    const status = 'code' in result ? result.code : result.status;
    // 0: clean, 1: findings; 2 would be a broken example
    expect([0, 1]).toContain(status);
    expect(result.stderr).not.toMatch(/internal error|Error:/);
    if (!/--output-file|>/.test(command))
      expect(`${result.stdout}${result.stderr}`.length).toBeGreaterThan(0);
  });

  test('every flag used in the CI examples exists', async () => {
    const help = `${(await runCli(['--help'])).stdout}${(await runCli(['parse', '--help'])).stdout}`;
    const flags = blocks('yaml')
      .join('\n')
      .split('\n')
      .filter((line) => /\bepochlint /.test(line) && !/\bnpm /.test(line))
      .join('\n')
      .match(/--[a-z][a-z-]+/g);
    expect(flags?.length).toBeGreaterThan(3);
    for (const flag of flags ?? []) expect(help).toContain(flag);
  });

  test('every detector and cause is documented', async () => {
    const rules = (await runCli(['rules'])).stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    for (const id of rules) expect(readme).toContain(`\`${id}\``);
  });
});
