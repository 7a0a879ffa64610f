/**
 * A small, strict XML 1.0 well-formedness checker for the JUnit tests (no dependency): an optional
 * declaration, one root element, balanced tags, quoted and unique attributes, only the five predefined
 * entities and character references, and no character XML forbids. It returns the element tree.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (the text of children not included). */
  text: string;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const SPACE = /[ \t\r\n]*/y;
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length;
    throw new Error(`XML: ${message} at line ${line} (offset ${this.pos})`);
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  expect(s: string): void {
    if (!this.startsWith(s)) this.fail(`expected ${JSON.stringify(s)}`);
    this.pos += s.length;
  }

  skipSpace(): boolean {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.text);
    const moved = SPACE.lastIndex > this.pos;
    this.pos = SPACE.lastIndex;
    return moved;
  }

  name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.text);
    if (m === null) this.fail('expected a name');
    this.pos = NAME.lastIndex;
    return m[0];
  }

  /** Decodes character data up to `stop` (exclusive), checking every `&` reference. */
  chars(stop: string, inAttribute: boolean): string {
    let out = '';
    while (this.pos < this.text.length && !this.startsWith(stop)) {
      const c = this.text[this.pos] ?? '';
      if (c === '<') {
        if (inAttribute) this.fail('"<" in an attribute value');
        break;
      }
      if (c === '&') {
        const end = this.text.indexOf(';', this.pos);
        if (end < 0) this.fail('unterminated reference');
        const ref = this.text.slice(this.pos + 1, end);
        const named = ENTITIES[ref];
        if (named !== undefined) out += named;
        else if (/^#[0-9]+$/.test(ref) || /^#x[0-9a-fA-F]+$/.test(ref)) {
          const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
          if (!isXmlChar(code)) this.fail(`reference to a forbidden character ${ref}`);
          out += String.fromCodePoint(code);
        } else this.fail(`unknown entity &${ref};`);
        this.pos = end + 1;
        continue;
      }
      if (!inAttribute && this.startsWith(']]>')) this.fail('"]]>" in text');
      out += c;
      this.pos += 1;
    }
    return out;
  }
}

function element(cur: Cursor): XmlElement {
  cur.expect('<');
  const node: XmlElement = { name: cur.name(), attributes: {}, children: [], text: '' };
  for (;;) {
    const spaced = cur.skipSpace();
    if (cur.startsWith('/>')) {
      cur.pos += 2;
      return node;
    }
    if (cur.startsWith('>')) {
      cur.pos += 1;
      break;
    }
    if (!spaced) cur.fail('expected whitespace before an attribute');
    const name = cur.name();
    if (name in node.attributes) cur.fail(`duplicate attribute ${name}`);
    cur.skipSpace();
    cur.expect('=');
    cur.skipSpace();
    const quote = cur.text[cur.pos];
    if (quote !== '"' && quote !== "'") cur.fail(`unquoted value of attribute ${name}`);
    cur.pos += 1;
    node.attributes[name] = cur.chars(quote, true);
    cur.expect(quote);
  }
  for (;;) {
    node.text += cur.chars('<', false);
    if (cur.pos >= cur.text.length) cur.fail(`unclosed <${node.name}>`);
    if (cur.startsWith('</')) {
      cur.pos += 2;
      const name = cur.name();
      if (name !== node.name) cur.fail(`</${name}> closes <${node.name}>`);
      cur.skipSpace();
      cur.expect('>');
      return node;
    }
    if (cur.startsWith('<!') || cur.startsWith('<?')) cur.fail('comments, CDATA and PIs are not expected');
    node.children.push(element(cur));
  }
}

/** Parses `xml`, throwing an Error that names the first problem. */
export function parseXml(xml: string): XmlElement {
  const cur = new Cursor(xml);
  const bad = FORBIDDEN.exec(xml);
  if (bad !== null) {
    cur.pos = bad.index;
    cur.fail(`forbidden character U+${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(xml)) {
    cur.fail('unpaired surrogate');
  }
  if (cur.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) cur.fail('unterminated declaration');
    const declaration = xml.slice(0, end);
    if (!/^<\?xml version="1\.0"( encoding="UTF-8")?\s*$/.test(declaration)) cur.fail('bad declaration');
    cur.pos = end + 2;
  }
  cur.skipSpace();
  const root = element(cur);
  cur.skipSpace();
  if (cur.pos !== xml.length) cur.fail('content after the root element');
  return root;
}

/** Every element named `name` under `node` (depth first, document order). */
export function findAll(node: XmlElement, name: string): XmlElement[] {
  return node.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
