import { describe, expect, test } from 'vitest';
import { createHeadCollector } from '../../src/context/index.js';
import { MAX_CODE_BYTES } from '../../src/context/code/regions.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('head collector', () => {
  test('keeps at most max bytes of a log, in any chunking', () => {
    const head = createHeadCollector(10);
    for (const piece of ['abc', 'defg', 'hijkl', 'mnop']) head.push(bytes(piece));
    expect(head.text()).toBe('abcdefghij');
  });

  test('keeps copies: the buffer a file is read into is filled again after each chunk', () => {
    const head = createHeadCollector(100);
    const buffer = Buffer.alloc(8);
    for (const piece of ['model.fi', 't(x, epo', 'chs=3)\n']) {
      buffer.write(piece);
      head.push(buffer.subarray(0, piece.length));
      buffer.fill(0xaa);
    }
    expect(head.text()).toBe('model.fit(x, epochs=3)\n');
  });

  test('a whole notebook under the limit is kept as it is', () => {
    const notebook = '{"cells": [{"cell_type": "code", "source": ["model.fit(x)"]}], "nbformat": 4}';
    const head = createHeadCollector(1000);
    head.push(bytes(notebook.slice(0, 20)));
    head.push(bytes(notebook.slice(20)));
    expect(head.text()).toBe(notebook);
  });

  test('a notebook cut at the limit gives no text: its JSON could not be read whole', () => {
    const notebook = `{"cells": [{"cell_type": "code", "source": ["model.fit(x)"], "outputs": ["${'x'.repeat(500)}"]}]}`;
    const head = createHeadCollector(200);
    head.push(bytes(notebook));
    expect(head.text()).toBe('');
    // the same bytes ending exactly at the limit are whole
    const exact = createHeadCollector(notebook.length);
    exact.push(bytes(notebook));
    expect(exact.text()).toBe(notebook);
  });

  test('a log cut at the limit keeps its head (pasted code comes first)', () => {
    const log = `model.fit(x)\n${'Epoch 1/1\n'.repeat(50)}`;
    const head = createHeadCollector(100);
    head.push(bytes(log));
    expect(head.text()).toBe(log.slice(0, 100));
  });

  test('text that cannot be a notebook keeps only what the text code reader looks at (MAX_CODE_BYTES)', () => {
    const block = bytes(`model.fit(x)\n${'Epoch 1/1 - loss: 0.5\n'.repeat(1000)}`);
    const text = createHeadCollector();
    // leading whitespace in its own chunk decides nothing
    text.push(bytes('\n  \n'));
    let pushed = 4;
    while (pushed < MAX_CODE_BYTES * 2) {
      text.push(block);
      pushed += block.length;
    }
    expect(Buffer.byteLength(text.text())).toBe(MAX_CODE_BYTES);
    // input that opens with `{` may be a notebook: the larger bound of the collector holds
    const json = createHeadCollector();
    json.push(bytes(' {"log": ['));
    pushed = 10;
    while (pushed < MAX_CODE_BYTES * 2) {
      json.push(block);
      pushed += block.length;
    }
    expect(Buffer.byteLength(json.text())).toBe(pushed);
  });
});
