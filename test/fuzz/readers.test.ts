/**
 * Property tests over every reader: random bytes, hostile token soups, random chunkings and mutations
 * of real fixtures. Seeded (see `fuzz-helpers.ts`); `npm run fuzz` runs the same properties longer.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Epoch } from '../../src/model/index.js';
import { READERS } from '../../src/parse/readers.js';
import {
  allEpochs,
  expectSound,
  fixture,
  fuzzParameters,
  parseChunks,
  READER_FIXTURES,
} from './fuzz-helpers.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `auto` and every dialect: a forced reader must survive input it was not made for. */
const FORMATS = ['auto', ...READERS.map((r) => r.dialect)];

/** Pieces of every format and every character the probe found hostile, to build inputs from. */
const TOKENS = [
  'Epoch 1/3\n',
  'Epoch 2/3\n',
  'Epoch 0/3\n',
  '10/10 [==============================] - 1s 5ms/step - loss: 0.5000 - val_loss: 0.4000\n',
  '━━━━━━━━━━━━━━━━━━━━ 2s 9ms/step - accuracy: 0.9 - loss: 0.3\n',
  ' - loss: ',
  ' - val_acc: ',
  'loss',
  ': ',
  '0.5',
  '1e309',
  '-1.7e308',
  'nan',
  'nan(ind)',
  'None',
  'N/A',
  '∞',
  '٠٫٥',
  'inf',
  'epoch,loss,val_loss\n',
  '0,0.5,0.4\n',
  ',',
  ';',
  '\t',
  ' ',
  '          ',
  '\n',
  '\r',
  '\r\n',
  '\b',
  '\u001b[K',
  '\u001b[2J',
  '\u001b]52;c;aGk=\u0007',
  '\u009b',
  '\u202e',
  '\u200b',
  '\ufeff',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '{"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}',
  '{"epoch": 1, "loss": 0.5}\n',
  '"loss":',
  '{"cells": [',
  '"outputs": [{"text": "',
  '111111111111',
  '\u0000',
  'Epoch 3: val_loss improved from inf to 0.40000, saving model to m.h5\n',
  "{'loss': 0.5, 'epoch': 1.0}\n",
  'Epoch 1: 100%|██████████| 10/10 [00:01<00:00, v_num=0, val_loss=0.4]\n',
  '  1/10   0G  1.2  0.8  1.1  16  640: 100%\n',
  '[10]\tvalidation_0-logloss:0.5\n',
  '| epoch | train_loss | valid_loss |\n',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }).map((parts) => parts.join(''));
const cuts = fc.array(fc.nat({ max: 20000 }), { maxLength: 8 });

/** What a record is, for comparisons: its position and values (not where it was read). */
function shape(epoch: Epoch): { epoch: number; metrics: Record<string, unknown> } {
  return { epoch: epoch.epoch, metrics: epoch.metrics };
}

describe('any input through any reader: no throw, a sound result, no raw control character', () => {
  test('random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4000 }),
        fc.constantFrom(...FORMATS),
        cuts,
        (bytes, format, at) => {
          expectSound(parseChunks(bytes, at, format));
        },
      ),
      fuzzParameters(300),
    );
  });

  test('soups of log tokens and hostile characters', () => {
    fc.assert(
      fc.property(soup, fc.constantFrom(...FORMATS), cuts, (text, format, at) => {
        expectSound(parseChunks(encoder.encode(text), at, format));
      }),
      fuzzParameters(300),
    );
  });

  test('random Unicode text (every UTF-8 length, lone surrogates) cut inside characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), cuts, (text, at) => {
        expectSound(parseChunks(encoder.encode(text), at));
      }),
      fuzzParameters(100),
    );
  });
});

describe('fixtures of every reader, mutated', () => {
  test.each(READER_FIXTURES)('$path: bytes replaced, inserted or removed anywhere', ({ path }) => {
    const original = fixture(path);
    const edit = fc.record({
      at: fc.nat({ max: Math.max(0, original.length - 1) }),
      remove: fc.nat({ max: 16 }),
      insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 8 })),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), cuts, (edits, at) => {
        let bytes = original;
        for (const e of edits) {
          const insert = encoder.encode(e.insert);
          const next = new Uint8Array(bytes.length - Math.min(e.remove, bytes.length - e.at) + insert.length);
          const from = Math.min(e.at, bytes.length);
          next.set(bytes.subarray(0, from), 0);
          next.set(insert, from);
          next.set(bytes.subarray(Math.min(bytes.length, from + e.remove)), from + insert.length);
          bytes = next;
        }
        expectSound(parseChunks(bytes, at));
      }),
      fuzzParameters(15),
    );
  });

  const lineFixtures = READER_FIXTURES.filter((f) => f.lines);

  test.each(lineFixtures)('$path: any chunking reads the same records as the whole file', ({ path }) => {
    const bytes = fixture(path);
    const whole = allEpochs(parseChunks(bytes)).map(shape);
    expect(whole.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }), (at) => {
        expect(allEpochs(parseChunks(bytes, at)).map(shape)).toEqual(whole);
      }),
      fuzzParameters(15),
    );
  });

  test.each(lineFixtures)(
    '$path: cut at a line past its head, every record before the cut is kept as it was',
    ({ path }) => {
      const bytes = fixture(path);
      const text = decoder.decode(bytes);
      const whole = allEpochs(parseChunks(bytes)).map(shape);
      const breaks: number[] = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i + 1);
      // past the lines the sniffer looks at, so the prefix is read as the same format
      const usable = breaks.filter((b) => b >= Math.min(text.length / 2, 8192));
      if (usable.length === 0) return;
      fc.assert(
        fc.property(fc.constantFrom(...usable), (cut) => {
          const prefix = allEpochs(parseChunks(encoder.encode(text.slice(0, cut)))).map(shape);
          // the last record of the prefix may be the cut one (a CSV row merged, a frame not yet final)
          const complete = prefix.slice(0, -1);
          expect(whole.slice(0, complete.length)).toEqual(complete);
          expect(prefix.length).toBeLessThanOrEqual(whole.length);
        }),
        fuzzParameters(15),
      );
    },
  );
});
