/**
 * HTML tables as they come, for the `text/html` outputs of saved notebooks: the Hugging Face Trainer's
 * progress table (`<table border="1" class="dataframe"><thead><tr><th>Epoch</th><th>Training Loss</th>
 * ...`), fastai's `fit`/`fit_one_cycle` table, a displayed pandas DataFrame. A tolerant tokenizer, not a
 * validating parser: tags in any case and with any attributes, optional end tags (`<td>` closes the
 * open cell, `<tr>` the open row), markup inside cells (`<b>`, `<br>`, `<span>`), entities (`&lt;`,
 * `&#39;`, `&#x27;`, `&nbsp;`), whitespace and line breaks inside cells collapsed, `<style>`,
 * `<script>` and comments skipped, `<progress value max>` elements reported. It reads pieces as they
 * arrive (a tag or an entity may be split between two pieces) and holds only the open row, each cell
 * cut to {@link MAX_CELL_CHARS} and detached from the piece it was read from. Control characters in cell
 * text become spaces.
 */
import { detach } from './limits.js';

/** What the tokenizer reports. */
export interface HtmlTableSink {
  /** A row of an outermost table: its cells' text; `header` for a row of `<thead>`, or of `<th>` cells only before any other row. */
  row(cells: string[], header: boolean, line: number): void;
  /** An outermost `<table>` starts. */
  tableStart(line: number): void;
  /** An outermost table ends (its `</table>`, or the end of the HTML). */
  tableEnd(): void;
  /** A `<progress value=... max=...>` element (fastai's and the Trainer's bars). */
  progress(value: number, max: number, line: number): void;
}

/** Text kept of one cell; a training table's cells are short. */
export const MAX_CELL_CHARS = 256;
/** Characters kept of one tag (its name and attributes); the rest of a longer tag is skipped. */
const MAX_TAG_CHARS = 1024;
/** Cells kept of one row. */
const MAX_ROW_CELLS = 512;

type Mode = 'text' | 'lt' | 'bang' | 'tag' | 'comment' | 'raw';

export interface HtmlTableReader {
  /** A piece of HTML; `line` is the 1-based line of the file it comes from. */
  write(piece: string, line: number): void;
  /** The HTML ended: an open row and table are closed. */
  end(): void;
}

export function createHtmlTableReader(sink: HtmlTableSink): HtmlTableReader {
  let mode: Mode = 'text';
  let tag = '';
  let tagLine = 1;
  /** `</style>` or `</script>` ends raw mode. */
  let rawEnd = '';
  let rawTail = '';
  let commentTail = '';
  let depth = 0;
  let inHead = false;
  let rowsSeen = 0;
  let row: { cells: string[]; allTh: boolean; line: number } | null = null;
  let cell: { text: string; th: boolean; span: number } | null = null;

  const closeCell = (): void => {
    const c = cell;
    cell = null;
    if (c === null || row === null) return;
    if (row.cells.length >= MAX_ROW_CELLS) return;
    row.cells.push(cleanCell(c.text));
    if (!c.th) row.allTh = false;
    for (let i = 1; i < c.span && row.cells.length < MAX_ROW_CELLS; i += 1) row.cells.push('');
  };

  const closeRow = (): void => {
    closeCell();
    const r = row;
    row = null;
    if (r === null || r.cells.length === 0) return;
    const header = inHead || (r.allTh && rowsSeen === 0);
    rowsSeen += 1;
    sink.row(r.cells, header, r.line);
  };

  const closeTable = (): void => {
    closeRow();
    inHead = false;
    rowsSeen = 0;
    sink.tableEnd();
  };

  const onTag = (raw: string, line: number): void => {
    const closing = raw.startsWith('/');
    const body = closing ? raw.slice(1) : raw;
    let end = 0;
    while (end < body.length && !/[\s/>]/.test(body.charAt(end))) end += 1;
    const name = body.slice(0, end).toLowerCase();
    if (name === 'style' || name === 'script') {
      if (!closing && !body.endsWith('/')) {
        mode = 'raw';
        rawEnd = `</${name}`;
        rawTail = '';
      }
      return;
    }
    if (name === 'table') {
      if (closing) {
        if (depth === 1) closeTable();
        depth = Math.max(0, depth - 1);
      } else {
        depth += 1;
        if (depth === 1) {
          inHead = false;
          rowsSeen = 0;
          sink.tableStart(line);
        }
      }
      return;
    }
    if (name === 'progress') {
      if (!closing) {
        const value = attribute(body, 'value');
        const max = attribute(body, 'max');
        if (value !== null) sink.progress(value, max ?? 1, line);
      }
      return;
    }
    if (depth !== 1) {
      // a table inside a cell: its text is part of the cell
      if (depth > 1 && cell !== null && (name === 'td' || name === 'th' || name === 'br' || name === 'tr'))
        cell.text += ' ';
      return;
    }
    switch (name) {
      case 'thead':
        closeRow();
        inHead = !closing;
        return;
      case 'tbody':
      case 'tfoot':
        closeRow();
        inHead = false;
        return;
      case 'tr':
        closeRow();
        if (!closing) row = { cells: [], allTh: true, line };
        return;
      case 'td':
      case 'th':
        closeCell();
        if (!closing) {
          row ??= { cells: [], allTh: true, line };
          const span = attribute(body, 'colspan');
          cell = {
            text: '',
            th: name === 'th',
            span: span === null ? 1 : Math.max(1, Math.min(64, Math.trunc(span))),
          };
        }
        return;
      case 'br':
      case 'p':
      case 'div':
        if (cell !== null) cell.text += ' ';
        return;
      default:
        return;
    }
  };

  const text = (s: string): void => {
    const c = cell;
    if (c === null || c.text.length >= MAX_CELL_CHARS * 2) return;
    c.text += s.slice(0, MAX_CELL_CHARS * 2 - c.text.length);
  };

  const write = (piece: string, line: number): void => {
    let i = 0;
    while (i < piece.length) {
      switch (mode) {
        case 'text': {
          const lt = piece.indexOf('<', i);
          if (lt < 0) {
            text(piece.slice(i));
            i = piece.length;
          } else {
            if (lt > i) text(piece.slice(i, lt));
            mode = 'lt';
            tagLine = line;
            i = lt + 1;
          }
          break;
        }
        case 'lt': {
          // `<` starts a tag only before a letter, `/` or `!` (`00:05<00:19` is text)
          const c = piece.charAt(i);
          if (c === '!') {
            mode = 'bang';
            tag = '!';
            i += 1;
          } else if (/[A-Za-z/]/.test(c)) {
            mode = 'tag';
            tag = '';
          } else {
            mode = 'text';
            text('<');
          }
          break;
        }
        case 'bang': {
          // `<!--` opens a comment; any other `<!...>` is a declaration, skipped like a tag
          tag += piece.charAt(i);
          i += 1;
          if (tag === '!--') {
            mode = 'comment';
            commentTail = '';
          } else if (!'!--'.startsWith(tag)) {
            mode = 'tag';
            if (tag.endsWith('>')) {
              mode = 'text';
            }
          }
          break;
        }
        case 'tag': {
          const gt = piece.indexOf('>', i);
          const part = gt < 0 ? piece.slice(i) : piece.slice(i, gt);
          if (tag.length < MAX_TAG_CHARS) tag += part.slice(0, MAX_TAG_CHARS - tag.length);
          if (gt < 0) {
            i = piece.length;
            break;
          }
          mode = 'text';
          i = gt + 1;
          if (!tag.startsWith('!')) onTag(tag, tagLine);
          break;
        }
        case 'comment': {
          const rest = commentTail + piece.slice(i);
          const at = rest.indexOf('-->');
          if (at < 0) {
            commentTail = rest.slice(-2);
            i = piece.length;
          } else {
            i += at + 3 - commentTail.length;
            commentTail = '';
            mode = 'text';
          }
          break;
        }
        case 'raw': {
          const rest = (rawTail + piece.slice(i)).toLowerCase();
          const at = rest.indexOf(rawEnd);
          if (at < 0) {
            rawTail = rest.slice(-rawEnd.length);
            i = piece.length;
          } else {
            // the end tag itself is read as a tag (to its `>`); it may have started in the last piece
            const skip = at + 1 - rawTail.length;
            tag = skip >= 0 ? '' : rest.slice(at + 1, rawTail.length);
            i += Math.max(0, skip);
            rawTail = '';
            mode = 'tag';
            tagLine = line;
          }
          break;
        }
      }
    }
  };

  return {
    write,
    end(): void {
      if (mode === 'lt') text('<');
      else if (mode === 'tag' && !tag.startsWith('!')) onTag(tag, tagLine);
      mode = 'text';
      if (depth >= 1) closeTable();
      depth = 0;
    },
  };
}

/** A numeric attribute (`value='39'`, `max="126"`, `colspan=2`); null when absent or not a number. */
function attribute(tagBody: string, name: string): number | null {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tagBody);
  if (m === null) return null;
  const raw = (m[1] ?? m[2] ?? m[3] ?? '').trim();
  const n = Number(raw);
  return raw !== '' && Number.isFinite(n) ? n : null;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  minus: '-',
  infin: '∞',
};

/** Entities decoded, control characters and runs of whitespace made one space, trimmed, cut. */
export function cleanCell(text: string): string {
  const decoded = text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
  const flat = decoded.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  // a cell is kept (a row of a training table): it must not keep alive the piece it was cut from
  return detach(flat.length > MAX_CELL_CHARS ? flat.slice(0, MAX_CELL_CHARS) : flat);
}
