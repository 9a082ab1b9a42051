/**
 * Typed accessors for validating the shape of untrusted JSON (from `parseJson`).
 *
 * Every failure is a TlogError 'response/malformed' whose message starts with the field path
 * and says what was expected and what was found, e.g.
 * `tree_size: expected a non-negative integer, got string "abc"`.
 *
 * `path` arguments are the path of the containing value ('' for the top level); the field path
 * is built from it (`proof.hashes[3]`). `getOptional*` return `undefined` for an absent field or
 * an explicit `null` (Go servers encode nil slices and pointers as `null`).
 */
import { fromBase64, preview } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import type { JsonObject, JsonValue } from './parse.ts';

export type { JsonObject, JsonValue } from './parse.ts';

/** Joins a container path and a key or index into a field path. */
export function fieldPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** A short description of a value for error messages: `string "abc"`, `integer -1`, `object`. */
export function describeJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing (field absent)';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return `string ${preview(v, 40)}`;
    case 'bigint': {
      const s = v.toString();
      return `integer ${s.length > 40 ? `${s.slice(0, 40)}… (${s.length} digits)` : s}`;
    }
    case 'number':
      return `number ${v}`;
    case 'boolean':
      return `boolean ${v}`;
    default:
      return Array.isArray(v) ? `array of ${v.length}` : 'object';
  }
}

function malformed(path: string, expected: string, got: JsonValue | undefined): never {
  throw new TlogError(
    'response/malformed',
    `${path || '(top level)'}: expected ${expected}, got ${describeJson(got)}`,
    {
      field: path,
      expected,
      actual: describeJson(got),
    },
  );
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

// ---- values ----

export function asObject(v: JsonValue | undefined, path: string): JsonObject {
  if (!isObject(v)) malformed(path, 'an object', v);
  return v;
}

export function asArray(v: JsonValue | undefined, path: string): readonly JsonValue[] {
  if (!Array.isArray(v)) malformed(path, 'an array', v);
  return v;
}

export function asString(v: JsonValue | undefined, path: string): string {
  if (typeof v !== 'string') malformed(path, 'a string', v);
  return v;
}

export function asBoolean(v: JsonValue | undefined, path: string): boolean {
  if (typeof v !== 'boolean') malformed(path, 'a boolean', v);
  return v;
}

export interface IntegerRange {
  /** Smallest accepted value; default 0n. Pass `null` for no lower bound. */
  readonly min?: bigint | null;
  /** Largest accepted value; default none. */
  readonly max?: bigint | null;
}

/** 2^64 - 1: the range of the TLS `uint64` fields of RFC 6962 (tree_size, timestamp). */
export const U64_MAX = (1n << 64n) - 1n;

function rangeText(min: bigint | null, max: bigint | null): string {
  if (min === null && max === null) return 'an integer';
  if (max === null) return min === 0n ? 'a non-negative integer' : `an integer ≥ ${min}`;
  if (min === null) return `an integer ≤ ${max}`;
  return `an integer from ${min} to ${max}`;
}

/**
 * An integer literal (parsed as bigint), by default non-negative. Numbers written with a fraction
 * or exponent (`1.0`, `1e3`) are refused: sizes and indices are integers on the wire.
 */
export function asBigInt(v: JsonValue | undefined, path: string, range: IntegerRange = {}): bigint {
  const min = range.min === undefined ? 0n : range.min;
  const max = range.max ?? null;
  if (typeof v !== 'bigint' || (min !== null && v < min) || (max !== null && v > max)) {
    malformed(path, rangeText(min, max), v);
  }
  return v;
}

/** Standard padded base64 (RFC 4648 §4), optionally of an exact decoded length. */
export function asBase64(v: JsonValue | undefined, path: string, length?: number): Uint8Array {
  const expected = length === undefined ? 'base64' : `base64 of exactly ${length} bytes`;
  if (typeof v !== 'string') malformed(path, expected, v);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(v);
  } catch (e) {
    const why =
      e instanceof Error && e.message.startsWith('non-canonical')
        ? 'non-canonical padding bits'
        : 'not padded standard base64';
    throw new TlogError(
      'response/malformed',
      `${path || '(top level)'}: expected ${expected}, got ${describeJson(v)} (${why})`,
      {
        field: path,
        expected,
        actual: describeJson(v),
      },
    );
  }
  if (length !== undefined && bytes.length !== length) {
    throw new TlogError(
      'response/malformed',
      `${path || '(top level)'}: expected ${expected}, got ${bytes.length} bytes`,
      { field: path, expected: length, actual: bytes.length },
    );
  }
  return bytes;
}

// ---- required fields ----

export function getArray(obj: JsonObject, key: string, path = ''): readonly JsonValue[] {
  return asArray(field(obj, key), fieldPath(path, key));
}

export function getString(obj: JsonObject, key: string, path = ''): string {
  return asString(field(obj, key), fieldPath(path, key));
}

export function getBoolean(obj: JsonObject, key: string, path = ''): boolean {
  return asBoolean(field(obj, key), fieldPath(path, key));
}

export function getBigInt(obj: JsonObject, key: string, path = '', range?: IntegerRange): bigint {
  return asBigInt(field(obj, key), fieldPath(path, key), range);
}

export function getBase64(obj: JsonObject, key: string, path = '', length?: number): Uint8Array {
  return asBase64(field(obj, key), fieldPath(path, key), length);
}

export function getObjectField(obj: JsonObject, key: string, path = ''): JsonObject {
  return asObject(field(obj, key), fieldPath(path, key));
}

// ---- optional fields (absent or null → undefined) ----

function optional<T>(
  obj: JsonObject,
  key: string,
  path: string,
  read: (v: JsonValue, p: string) => T,
): T | undefined {
  const v = field(obj, key);
  return v === undefined || v === null ? undefined : read(v, fieldPath(path, key));
}

export function getOptionalArray(obj: JsonObject, key: string, path = ''): readonly JsonValue[] | undefined {
  return optional(obj, key, path, asArray);
}

export function getOptionalString(obj: JsonObject, key: string, path = ''): string | undefined {
  return optional(obj, key, path, asString);
}

export function getOptionalBoolean(obj: JsonObject, key: string, path = ''): boolean | undefined {
  return optional(obj, key, path, asBoolean);
}

export function getOptionalBigInt(
  obj: JsonObject,
  key: string,
  path = '',
  range?: IntegerRange,
): bigint | undefined {
  return optional(obj, key, path, (v, p) => asBigInt(v, p, range));
}

export function getOptionalObject(obj: JsonObject, key: string, path = ''): JsonObject | undefined {
  return optional(obj, key, path, asObject);
}
