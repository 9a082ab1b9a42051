/**
 * A strict JSON reader (RFC 8259) for configuration files. Unlike JSON.parse it reports the line
 * and column of a syntax error on every Node version, and it rejects duplicate object keys, which
 * JSON.parse resolves silently by keeping the last one (RFC 8259 §4 leaves that to the reader).
 */
import { TlogError } from '../errors.ts';

const MAX_DEPTH = 64;

export function parseJsonText(text: string, source: string): unknown {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a leading BOM is tolerated
  let pos = 0;

  const fail = (message: string, at = pos): never => {
    const { line, column } = lineColumn(src, at);
    throw new TlogError(
      'config/invalid',
      `${source}: invalid JSON at line ${line}, column ${column}: ${message}`,
      {
        line,
        column,
      },
    );
  };
  const found = (): string => (pos >= src.length ? 'the end of the file' : JSON.stringify(src[pos]));

  const skipSpace = (): void => {
    while (pos < src.length) {
      const c = src[pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      pos++;
    }
  };

  const expect = (c: string, what: string): void => {
    if (src[pos] !== c) fail(`expected ${what}, found ${found()}`);
    pos++;
  };

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= src.length) fail('unterminated string', start);
      const c = src.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return out;
      }
      if (c < 0x20) fail('control character in string (escape it)');
      if (c !== 0x5c) {
        out += src[pos];
        pos++;
        continue;
      }
      const e = src[pos + 1];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && Object.hasOwn(simple, e)) {
        out += simple[e];
        pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(pos + 2, pos + 6))) {
        out += String.fromCharCode(Number.parseInt(src.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else fail('invalid escape sequence');
    }
  };

  const readNumber = (): number => {
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    m.lastIndex = pos;
    const hit = m.exec(src);
    if (!hit) return fail(`expected a value, found ${found()}`);
    pos += hit[0].length;
    return Number(hit[0]);
  };

  const readValue = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const c = src[pos];
    if (c === '{') return readObject(depth);
    if (c === '[') return readArray(depth);
    if (c === '"') return readString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (src.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return readNumber();
  };

  const readObject = (depth: number): Record<string, unknown> => {
    pos++; // {
    // Own data properties, as JSON.parse makes them: a "__proto__" key is data, not a prototype.
    const out: Record<string, unknown> = {};
    const keyAt = new Map<string, number>();
    skipSpace();
    if (src[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (src[pos] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
      const at = pos;
      const key = readString();
      if (keyAt.has(key)) {
        const first = lineColumn(src, keyAt.get(key) as number);
        fail(
          `duplicate key ${JSON.stringify(key)} (first at line ${first.line}, column ${first.column})`,
          at,
        );
      }
      keyAt.set(key, at);
      skipSpace();
      expect(':', '":" after the property name');
      const value = readValue(depth + 1);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      expect('}', '"," or "}" after a property value');
      return out;
    }
  };

  const readArray = (depth: number): unknown[] => {
    pos++; // [
    const out: unknown[] = [];
    skipSpace();
    if (src[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      out.push(readValue(depth + 1));
      skipSpace();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      expect(']', '"," or "]" after an array element');
      return out;
    }
  };

  const value = readValue(0);
  skipSpace();
  if (pos < src.length) fail(`unexpected ${found()} after the JSON value`);
  return value;
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
