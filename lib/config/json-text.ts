/**
 * Reads a configuration file's JSON with the project's strict parser (lib/json/parse.ts: RFC 8259,
 * duplicate keys refused) and reports syntax errors by line and column, which a person editing
 * the file can find. Integers become ordinary numbers here: config values are small.
 */
import { TlogError } from '../errors.ts';
import { type JsonValue, parseJson } from '../json/parse.ts';

export function parseJsonText(text: string, source: string): unknown {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a leading BOM is tolerated
  let value: JsonValue;
  try {
    value = parseJson(src);
  } catch (e) {
    if (!(e instanceof TlogError) || typeof e.details?.position !== 'number') throw e;
    const { line, column } = lineColumn(src, e.details.position);
    const why = typeof e.details.reason === 'string' ? e.details.reason : e.message;
    const where = e.details.position >= src.length ? ' (at the end of the file)' : '';
    throw new TlogError(
      'config/invalid',
      `${source}: invalid JSON at line ${line}, column ${column}: ${why}${where}`,
      {
        line,
        column,
      },
    );
  }
  return toPlain(value, source);
}

/** Plain objects (own `__proto__` keys stay data) and numbers instead of bigints. */
function toPlain(v: JsonValue, source: string): unknown {
  if (typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isSafeInteger(n))
      throw new TlogError('config/invalid', `${source}: integer ${v} is too large`);
    return n;
  }
  if (Array.isArray(v)) return v.map((x) => toPlain(x, source));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, {
        value: toPlain(x, source),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return v;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
