import { describe, expect, test } from 'vitest';
import { cleanCell, createHtmlTableReader, MAX_CELL_CHARS } from '../../src/parse/html-table.js';

type Event =
  | { table: number }
  | { row: string[]; header: boolean; line: number }
  | { end: true }
  | { progress: [number, number]; line: number };

/** The tokenizer's events for HTML given in pieces, each with its line. */
function read(pieces: Array<[string, number]>): Event[] {
  const events: Event[] = [];
  const reader = createHtmlTableReader({
    tableStart: (line) => events.push({ table: line }),
    row: (cells, header, line) => events.push({ row: cells, header, line }),
    tableEnd: () => events.push({ end: true }),
    progress: (value, max, line) => events.push({ progress: [value, max], line }),
  });
  for (const [piece, line] of pieces) reader.write(piece, line);
  reader.end();
  return events;
}

/** One line of HTML per piece, numbered from 1. */
const byLines = (html: string): Array<[string, number]> =>
  html.split(/(?<=\n)/).map((piece, i): [string, number] => [piece, i + 1]);

const TRAINER = `
    <div>
      <progress value='951' max='1500' style='width:300px; height:20px; vertical-align: middle;'></progress>
      [ 951/1500 03:12 < 01:51, 2.27 it/s, Epoch 1.90/3]
    </div>
    <table border="1" class="dataframe">
  <thead>
 <tr style="text-align: left;">
      <th>Epoch</th>
      <th>Training Loss</th>
      <th>Validation Loss</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <td>1</td>
      <td>No log</td>
      <td>0.580372</td>
    </tr>
  </tbody>
</table><p>`;

describe('HTML table tokenizer', () => {
  test("the Trainer's progress table: the bar, the header row, a data row, with their lines", () => {
    expect(read(byLines(TRAINER))).toEqual([
      { progress: [951, 1500], line: 3 },
      { table: 6 },
      { row: ['Epoch', 'Training Loss', 'Validation Loss'], header: true, line: 8 },
      { row: ['1', 'No log', '0.580372'], header: false, line: 15 },
      { end: true },
    ]);
  });

  test('attributes, upper case, optional end tags, markup inside cells, entities and whitespace', () => {
    const html =
      '<TABLE class=x><TR><TH ALIGN=left>epoch<TH>train&#95;loss</TH><th>valid&nbsp;loss<th>time</tr>' +
      '<tr><td> 0 <td><b>0.5</b>\n  </td><td>\n 0.25\n</td><td>00:05&lt;00:19</td>' +
      '<tr><td>1</td><td>it&#39;s &amp; &#x27;x&#x27;</td><td>a<br>b</td><td>00:05<00:19</td></TABLE>';
    expect(read([[html, 7]])).toEqual([
      { table: 7 },
      { row: ['epoch', 'train_loss', 'valid loss', 'time'], header: true, line: 7 },
      { row: ['0', '0.5', '0.25', '00:05<00:19'], header: false, line: 7 },
      { row: ['1', "it's & 'x'", 'a b', '00:05<00:19'], header: false, line: 7 },
      { end: true },
    ]);
  });

  test('style, script and comments are skipped even when they hold table markup', () => {
    const html =
      '<style>td { color: red } /* <td>no</td> */</style><!-- <table><tr><td>no</td></tr></table> -->' +
      '<script>var s = "<tr><td>no</td></tr>";</script><!DOCTYPE html>' +
      '<table><tr><th>Step</th><th>Training Loss</th></tr><tr><td>500</td><td>0.44</td></tr></table>';
    expect(read([[html, 1]])).toEqual([
      { table: 1 },
      { row: ['Step', 'Training Loss'], header: true, line: 1 },
      { row: ['500', '0.44'], header: false, line: 1 },
      { end: true },
    ]);
  });

  test('pandas: an index header cell and row headers are kept; a row of th cells after data is data', () => {
    const html =
      '<table><thead><tr><th></th><th>loss</th></tr></thead><tbody>' +
      '<tr><th>0</th><td>0.69</td></tr><tr><th>1</th><th>0.60</th></tr></tbody></table>';
    expect(read([[html, 1]])).toEqual([
      { table: 1 },
      { row: ['', 'loss'], header: true, line: 1 },
      { row: ['0', '0.69'], header: false, line: 1 },
      { row: ['1', '0.60'], header: false, line: 1 },
      { end: true },
    ]);
  });

  test('a table inside a cell is part of that cell; colspan repeats the cell as empty ones', () => {
    const html =
      '<table><tr><th colspan="2">a</th><th>b</th></tr>' +
      '<tr><td><table><tr><td>x</td><td>y</td></tr></table></td><td>1</td><td>2</td></tr></table>';
    expect(read([[html, 1]])).toEqual([
      { table: 1 },
      { row: ['a', '', 'b'], header: true, line: 1 },
      { row: ['x y', '1', '2'], header: false, line: 1 },
      { end: true },
    ]);
  });

  test('a table cut by the end of the HTML ends with its open row', () => {
    expect(read([['<table><tr><th>epoch</th><th>loss</th></tr><tr><td>0</td><td>0.5', 3]])).toEqual([
      { table: 3 },
      { row: ['epoch', 'loss'], header: true, line: 3 },
      { row: ['0', '0.5'], header: false, line: 3 },
      { end: true },
    ]);
  });

  test('progress attributes in any quoting; a bar without a number is not reported', () => {
    const html = `<progress value="3" max=5></progress><progress value='7' class='' max='7'></progress><progress max='2'></progress>`;
    expect(read([[html, 2]])).toEqual([
      { progress: [3, 5], line: 2 },
      { progress: [7, 7], line: 2 },
    ]);
  });

  test('cell text: control characters become spaces, long text is cut', () => {
    expect(cleanCell('a\u001b[31m\tb\u0007 \r\n c')).toBe('a [31m b c');
    expect(cleanCell('x'.repeat(MAX_CELL_CHARS * 3))).toHaveLength(MAX_CELL_CHARS);
    expect(cleanCell('&unknown; &#0; &#x110000;')).toBe('&unknown; &#0; &#x110000;');
  });

  test('pieces cut anywhere (inside tags, entities, comments, style) give the same events', () => {
    const html =
      '<style>p { x: 1 }</style><!-- c -- x --><div><progress value="2" max="9"></progress></div>' +
      TRAINER.replace('No log', '&lt;No&nbsp;log&gt;') +
      '<table><tr><th>epoch</th><th>train_loss</th><th>time</th></tr><tr><td>0</td><td>nan</td><td>00:01</td></tr></table>';
    const whole = read([[html, 1]]);
    expect(whole.filter((e) => 'row' in e)).toHaveLength(4);
    for (let cut = 1; cut < html.length; cut += 1) {
      expect(
        read([
          [html.slice(0, cut), 1],
          [html.slice(cut), 1],
        ]),
      ).toEqual(whole);
    }
    const oneByOne = Array.from(html, (c): [string, number] => [c, 1]);
    expect(read(oneByOne)).toEqual(whole);
  });
});
