/** Assertions shared by the config tests. */
import assert from 'node:assert/strict';
import { TlogError } from '../../lib/errors.ts';

/**
 * Runs `fn`, expects a `config/invalid` TlogError, and checks that one of its issues starts with
 * `path + ':'` (naming the log and the field) and contains every fragment. Returns the issues.
 */
export function assertConfigIssue(fn: () => unknown, path: string, ...fragments: string[]): string[] {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof TlogError, `expected a TlogError, got ${String(error)}`);
  assert.equal(error.code, 'config/invalid');
  const issues = (error.details?.issues as string[] | undefined) ?? [error.message];
  const hit = issues.find((i) => i.startsWith(`${path}: `) && fragments.every((f) => i.includes(f)));
  assert.ok(hit, `no issue "${path}: ..." containing ${JSON.stringify(fragments)} in:\n${issues.join('\n')}`);
  assert.ok(error.message.includes(hit), 'the message lists every issue');
  return issues;
}
