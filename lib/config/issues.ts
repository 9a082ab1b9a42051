/**
 * Collects configuration problems so one run reports all of them, each naming where it is
 * (`logs[2] ("rekor").url: ...`), and throws them as a single `config/invalid` TlogError.
 */
import { preview } from '../bytes.ts';
import { TlogError } from '../errors.ts';
import { privateKeyKind } from './key-text.ts';

export class ConfigIssues {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }

  addAll(other: readonly string[]): void {
    this.list.push(...other);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    const head =
      this.list.length === 1
        ? 'invalid configuration'
        : `invalid configuration (${this.list.length} problems)`;
    throw new TlogError('config/invalid', `${head}:\n  ${this.list.join('\n  ')}`, {
      issues: [...this.list],
    });
  }
}

/** The issues carried by a `config/invalid` TlogError, or its message as a single issue. */
export function issuesOf(e: TlogError): string[] {
  const issues = e.details?.issues;
  return Array.isArray(issues) ? issues.map(String) : [e.message];
}

/**
 * Describes an untrusted configuration value for an error message: `"ftp://x"`, `number 5`,
 * `null`. A private key pasted anywhere is named, never previewed.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const secret = privateKeyKind(value);
    return secret === undefined ? preview(value) : `a private key (${secret}; not shown)`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The message for an unknown field: names it, suggests the closest known field when there is a
 * plausible one (same letters in another case, or a small edit), and lists the known fields.
 */
export function unknownFieldMessage(field: string, known: readonly string[]): string {
  const guess = closest(field, known);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  return `unknown field${hint}; known fields: ${known.join(', ')}`;
}

function closest(field: string, known: readonly string[]): string | undefined {
  const lower = field.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(field.length / 4)) + 1;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}
