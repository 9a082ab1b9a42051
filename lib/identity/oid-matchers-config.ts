/**
 * `identities.oidMatchers` (docs/contracts.md, "Identity monitoring"): our list form, or rekor-monitor's
 * object form, read into the list form with every OID dotted. Fulcio extensions can be named as
 * rekor-monitor names them (fulcio-oids.ts).
 */
import { type ConfigIssues, describe, isPlainObject, unknownFieldMessage } from '../config/issues.ts';
import { FULCIO_OTHER_NAME, fulcioOidsNamed } from './fulcio-oids.ts';
import { encodeOid } from './oid.ts';

/** At most this many rules in one list, and values in one rule. */
export const MAX_RULES = 1000;

export interface OidMatcherRule {
  /** Dotted OID (names are resolved when the config is read). */
  readonly objectIdentifier: string;
  /** Exact values; the extension's decoded value must equal one of them. */
  readonly extensionValues: readonly string[];
}

/**
 * List form: [{ objectIdentifier: "1.3.6…" | Fulcio name, extensionValues }]. rekor-monitor's form:
 * { fulcioExtensions: { <name>: [values] }, oidExtensions: [{ objectIdentifier: [arcs], extensionValues }],
 *   customExtensions: [{ objectIdentifier: "1.3.6…", extensionValues }] }.
 * Rules for the same OID are merged, in the order first given.
 */
export function parseOidMatchers(
  v: unknown,
  path: string,
  issues: ConfigIssues,
): OidMatcherRule[] | undefined {
  const rules: { oids: readonly string[]; values: string[] }[] = [];
  let ok = true;
  const add = (oids: readonly string[] | undefined, values: string[] | undefined): void => {
    if (oids === undefined || values === undefined) ok = false;
    else rules.push({ oids, values });
  };
  if (Array.isArray(v) && v.length > MAX_RULES) {
    issues.add(path, `must have at most ${MAX_RULES} rules, got ${describe(v)}`);
    return undefined;
  }
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!isPlainObject(item)) {
        issues.add(p, `must be an object { objectIdentifier, extensionValues }, got ${describe(item)}`);
        ok = false;
        return;
      }
      checkKeys(item, ['objectIdentifier', 'extensionValues'], p, issues);
      add(
        oidOrName(item.objectIdentifier, `${p}.objectIdentifier`, issues),
        values(item.extensionValues, `${p}.extensionValues`, issues),
      );
    });
  } else if (isPlainObject(v)) {
    checkKeys(v, ['fulcioExtensions', 'oidExtensions', 'customExtensions'], path, issues);
    const fulcio = v.fulcioExtensions;
    if (fulcio !== undefined && !isPlainObject(fulcio)) {
      issues.add(
        `${path}.fulcioExtensions`,
        `must be an object of extension names to value lists, got ${describe(fulcio)}`,
      );
      ok = false;
    } else if (fulcio !== undefined) {
      for (const [name, list] of Object.entries(fulcio)) {
        const p = `${path}.fulcioExtensions.${name}`;
        add(oidOrName(name, p, issues, true), values(list, p, issues));
      }
    }
    for (const [field, arcs] of [
      ['oidExtensions', true],
      ['customExtensions', false],
    ] as const) {
      const list = v[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        issues.add(
          `${path}.${field}`,
          `must be an array of { objectIdentifier, extensionValues }, got ${describe(list)}`,
        );
        ok = false;
        continue;
      }
      list.forEach((item, i) => {
        const p = `${path}.${field}[${i}]`;
        if (!isPlainObject(item)) {
          issues.add(p, `must be an object { objectIdentifier, extensionValues }, got ${describe(item)}`);
          ok = false;
          return;
        }
        checkKeys(item, ['objectIdentifier', 'extensionValues'], p, issues);
        const where = `${p}.objectIdentifier`;
        const dotted = arcs ? arcsToDotted(item.objectIdentifier, where, issues) : item.objectIdentifier;
        const oid = arcs && dotted === undefined ? undefined : dottedOid(dotted, where, issues);
        add(
          oid === undefined ? undefined : [oid],
          values(item.extensionValues, `${p}.extensionValues`, issues),
        );
      });
    }
  } else {
    issues.add(
      path,
      `must be an array of { objectIdentifier, extensionValues } (or rekor-monitor's object form), got ${describe(v)}`,
    );
    return undefined;
  }
  if (!ok) return undefined;
  const merged = new Map<string, string[]>();
  for (const { oids, values: vals } of rules) {
    for (const oid of oids) {
      const list = merged.get(oid) ?? [];
      for (const x of vals) if (!list.includes(x)) list.push(x);
      merged.set(oid, list);
    }
  }
  return [...merged].map(([objectIdentifier, extensionValues]) =>
    Object.freeze({ objectIdentifier, extensionValues: Object.freeze(extensionValues) }),
  );
}

function checkKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  path: string,
  issues: ConfigIssues,
): void {
  for (const key of Object.keys(obj))
    if (!known.includes(key)) issues.add(`${path}.${key}`, unknownFieldMessage(key, known));
}

/** A dotted OID, or a Fulcio extension name (rekor-monitor's YAML key or its Go name). */
function oidOrName(
  v: unknown,
  path: string,
  issues: ConfigIssues,
  nameOnly = false,
): readonly string[] | undefined {
  if (typeof v === 'string') {
    const named = fulcioOidsNamed(v);
    if (named !== undefined && !named.includes(FULCIO_OTHER_NAME)) return named;
    if (nameOnly) {
      issues.add(
        path,
        'is not a Fulcio extension name (e.g. build-signer-uri, source-repository-uri, issuer)',
      );
      return undefined;
    }
  }
  const oid = dottedOid(v, path, issues);
  return oid === undefined ? undefined : [oid];
}

function dottedOid(v: unknown, path: string, issues: ConfigIssues): string | undefined {
  if (typeof v !== 'string') {
    issues.add(path, `must be a dotted OID or a Fulcio extension name, got ${describe(v)}`);
    return undefined;
  }
  if (v === FULCIO_OTHER_NAME || fulcioOidsNamed(v)?.includes(FULCIO_OTHER_NAME)) {
    issues.add(
      path,
      `${FULCIO_OTHER_NAME} is the SAN otherName type of a Fulcio username, not an extension; match it with certIdentities`,
    );
    return undefined;
  }
  const encoded = encodeOid(v);
  if ('error' in encoded) {
    issues.add(path, `${encoded.error} or a Fulcio extension name, got ${describe(v)}`);
    return undefined;
  }
  return v;
}

function arcsToDotted(v: unknown, path: string, issues: ConfigIssues): string | undefined {
  if (Array.isArray(v) && v.length >= 2 && v.every((a) => Number.isSafeInteger(a) && a >= 0))
    return v.join('.');
  issues.add(
    path,
    `must be the OID as an array of integer arcs, e.g. [1, 3, 6, 1, 4, 1, 57264, 1, 9], got ${describe(v)}`,
  );
  return undefined;
}

function values(v: unknown, path: string, issues: ConfigIssues): string[] | undefined {
  if (
    Array.isArray(v) &&
    v.length > 0 &&
    v.length <= MAX_RULES &&
    v.every((x) => typeof x === 'string' && x.length > 0)
  )
    return v as string[];
  issues.add(
    path,
    `must be a non-empty array of exact extension values (non-empty strings), got ${describe(v)}`,
  );
  return undefined;
}
