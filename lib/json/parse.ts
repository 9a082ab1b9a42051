/**
 * A small strict JSON parser (RFC 8259) for untrusted answers from logs.
 *
 * Differences from `JSON.parse`, all deliberate:
 * - Integer literals (no fraction, no exponent) become `bigint`, exact at any size (RFC 8259 §6
 *   leaves precision to the implementation; tree sizes and timestamps are u64, beyond 2^53).
 *   `-0` becomes `0n`. Other numbers become `number` and must be finite (`1e400` is refused).
 * - Duplicate object keys are refused (RFC 8259 §4 "SHOULD be unique"): an answer that says two
 *   things about one field contradicts itself.
 * - Objects have a null prototype, so keys such as `__proto__` are plain own data.
 * - Nesting deeper than `maxDepth` (default 64) is refused. The parser is iterative (an explicit
 *   stack), so deep input cannot overflow the call stack, and it runs in time linear in the text.
 * - Number literals longer than 1000 characters are refused, so bigint conversion stays cheap.
 * - Unpaired UTF-16 surrogates are refused, whether written raw or as `\u` escapes (RFC 8259 §8.2
 *   allows either choice; such strings cannot be encoded as UTF-8 and no log sends them). A pair
 *   may be written as two escapes (`\ud83d\ude00`) or as two raw characters.
 * - Only the four RFC 8259 §2 whitespace characters are allowed; a byte order mark is refused.
 *
 * Every error is a TlogError 'response/malformed' naming the offset (UTF-16 code units from the
 * start of the text) and a preview of the text there.
 */
import { preview } from '../bytes.ts';
import { TlogError } from '../errors.ts';

export type JsonValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | JsonValue[]
  | { readonly [k: string]: JsonValue };

/** What the string loop must read: an escape, a control character (refused), a UTF-16 surrogate (checked). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000–U+001F are what it looks for (RFC 8259 §7)
const NEEDS_LOOP = /[\\\u0000-\u001f\ud800-\udfff]/;

export type JsonObject = { readonly [k: string]: JsonValue };

export interface ParseJsonOptions {
  /** Maximum nesting of arrays and objects; `[]` has depth 1. Default 64. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
const MAX_NUMBER_LENGTH = 1000;

// RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

type Frame =
  | { readonly kind: 'array'; readonly value: JsonValue[] }
  | { readonly kind: 'object'; readonly value: Record<string, JsonValue>; key: string };

export function parseJson(text: string, options: ParseJsonOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`maxDepth must be a non-negative integer, got ${maxDepth}`);
  }
  return new Parser(text, maxDepth).parse();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parse(): JsonValue {
    const text = this.text;
    const stack: Frame[] = [];
    let result: JsonValue;

    outer: for (;;) {
      // Read one value at the current position.
      this.skipWhitespace();
      let value: JsonValue;
      const c = text.charCodeAt(this.pos);
      if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        if (stack.length >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
        this.pos++;
        this.skipWhitespace();
        if (c === 0x5b) {
          const arr: JsonValue[] = [];
          if (text.charCodeAt(this.pos) === 0x5d /* ] */) {
            this.pos++;
            value = arr;
          } else {
            stack.push({ kind: 'array', value: arr });
            continue;
          }
        } else {
          const obj: Record<string, JsonValue> = Object.create(null);
          if (text.charCodeAt(this.pos) === 0x7d /* } */) {
            this.pos++;
            value = obj;
          } else {
            stack.push({ kind: 'object', value: obj, key: this.readKey(obj) });
            continue;
          }
        }
      } else if (c === 0x22 /* " */) {
        value = this.readString();
      } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
        value = this.readNumber();
      } else if (text.startsWith('true', this.pos)) {
        this.pos += 4;
        value = true;
      } else if (text.startsWith('false', this.pos)) {
        this.pos += 5;
        value = false;
      } else if (text.startsWith('null', this.pos)) {
        this.pos += 4;
        value = null;
      } else {
        this.fail(Number.isNaN(c) ? 'unexpected end of input, expected a value' : 'expected a value');
      }

      // Attach it to its container, closing every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          result = value;
          break outer;
        }
        if (top.kind === 'array') top.value.push(value);
        else top.value[top.key] = value;
        this.skipWhitespace();
        const d = text.charCodeAt(this.pos);
        if (d === 0x2c /* , */) {
          this.pos++;
          if (top.kind === 'object') {
            this.skipWhitespace();
            top.key = this.readKey(top.value);
          }
          continue outer;
        }
        if (d === (top.kind === 'array' ? 0x5d /* ] */ : 0x7d) /* } */) {
          this.pos++;
          stack.pop();
          value = top.value;
          continue;
        }
        this.fail(top.kind === 'array' ? "expected ',' or ']'" : "expected ',' or '}'");
      }
    }

    this.skipWhitespace();
    if (this.pos !== text.length) this.fail('trailing characters after the JSON value');
    return result;
  }

  /** Reads `"key" :` and refuses a key the object already has. */
  private readKey(obj: Record<string, JsonValue>): string {
    if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key');
    const start = this.pos;
    const key = this.readString();
    if (Object.hasOwn(obj, key)) {
      this.pos = start;
      this.fail(`duplicate key ${preview(key)}`);
    }
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) this.fail("expected ':' after the key");
    this.pos++;
    return key;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let p = this.pos;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private readNumber(): bigint | number {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) this.fail('invalid number');
    const literal = m[0];
    const end = this.pos + literal.length;
    // A digit right after the literal means a leading zero ("012") or similar.
    const next = this.text.charCodeAt(end);
    if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
      this.fail(literal === '0' || literal === '-0' ? 'leading zero in a number' : 'invalid number');
    }
    if (literal.length > MAX_NUMBER_LENGTH) {
      this.fail(`number literal of ${literal.length} characters, at most ${MAX_NUMBER_LENGTH} allowed`);
    }
    let value: bigint | number;
    if (m[1] === undefined && m[2] === undefined) {
      value = BigInt(literal);
    } else {
      value = Number(literal);
      if (!Number.isFinite(value)) this.fail('number out of range for a double');
    }
    this.pos = end;
    return value;
  }

  /** Reads a string starting at the opening quote (RFC 8259 §7). */
  private readString(): string {
    const text = this.text;
    // Fast path: up to the next quote, a string with no backslash, control character or surrogate
    // is those characters verbatim (the loop below gives the same). Log answers are mostly long
    // base64 strings, which the loop reads twice as slowly as one native search and regex test.
    const start = this.pos + 1;
    const quote = text.indexOf('"', start);
    if (quote >= 0) {
      const plain = text.slice(start, quote);
      if (!NEEDS_LOOP.test(plain)) {
        this.pos = quote + 1;
        return plain;
      }
    }
    let p = this.pos + 1;
    let chunkStart = p;
    const parts: string[] = [];
    let pendingHigh = false; // the previous code unit was a high surrogate

    for (;;) {
      const c = text.charCodeAt(p);
      if (Number.isNaN(c)) {
        this.pos = p;
        this.fail('unterminated string');
      }
      if (c === 0x22 /* " */) break;
      let unit: number;
      if (c === 0x5c /* \ */) {
        if (p > chunkStart) parts.push(text.slice(chunkStart, p));
        const e = text.charCodeAt(p + 1);
        let decoded: string;
        let len = 2;
        switch (e) {
          case 0x22:
            decoded = '"';
            break;
          case 0x5c:
            decoded = '\\';
            break;
          case 0x2f:
            decoded = '/';
            break;
          case 0x62:
            decoded = '\b';
            break;
          case 0x66:
            decoded = '\f';
            break;
          case 0x6e:
            decoded = '\n';
            break;
          case 0x72:
            decoded = '\r';
            break;
          case 0x74:
            decoded = '\t';
            break;
          case 0x75: {
            const hex = text.slice(p + 2, p + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.pos = p;
              this.fail('invalid \\u escape');
            }
            decoded = String.fromCharCode(Number.parseInt(hex, 16));
            len = 6;
            break;
          }
          default:
            this.pos = p;
            this.fail('invalid escape');
        }
        parts.push(decoded);
        unit = decoded.charCodeAt(0);
        this.checkSurrogate(unit, pendingHigh, p);
        pendingHigh = unit >= 0xd800 && unit <= 0xdbff;
        p += len;
        chunkStart = p;
        continue;
      }
      if (c < 0x20) {
        this.pos = p;
        this.fail('control character in a string (must be escaped)');
      }
      if (pendingHigh || (c >= 0xd800 && c <= 0xdfff)) {
        this.checkSurrogate(c, pendingHigh, p);
        pendingHigh = c <= 0xdbff && c >= 0xd800;
      }
      p++;
    }
    if (pendingHigh) {
      this.pos = p;
      this.fail('unpaired high surrogate at the end of a string');
    }
    if (p > chunkStart) parts.push(text.slice(chunkStart, p));
    this.pos = p + 1;
    return parts.length === 1 ? (parts[0] as string) : parts.join('');
  }

  private checkSurrogate(unit: number, pendingHigh: boolean, at: number): void {
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (pendingHigh && !isLow) {
      this.pos = at;
      this.fail('unpaired high surrogate in a string');
    }
    if (!pendingHigh && isLow) {
      this.pos = at;
      this.fail('unpaired low surrogate in a string');
    }
  }

  private fail(why: string): never {
    const at = this.pos;
    throw new TlogError(
      'response/malformed',
      `invalid JSON: ${why} at offset ${at}, near ${preview(this.text.slice(at, at + 32), 32)}`,
      { position: at, reason: why },
    );
  }
}
