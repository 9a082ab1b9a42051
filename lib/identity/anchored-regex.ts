/**
 * The regexes of `certIdentities` and `subjects`: each must match the WHOLE value, so
 * `alice@example\.com` does not match `alice@example.com.evil.net` (docs/contracts.md, "Identity
 * monitoring"; rekor-monitor's RE2 matches are unanchored, ours are not).
 */

export const MAX_REGEX_CHARS = 1000;

/**
 * The classic catastrophic-backtracking shape: a group whose last item is repeated (`+`, `*`,
 * `{n,}`) and which is itself repeated. Names in entries come from anyone who can submit an entry,
 * and JavaScript's engine backtracks (rekor-monitor's RE2 does not), so this shape is refused.
 * Other super-linear patterns (`(a|aa)+`) are not detected: keep regexes simple.
 */
const NESTED_QUANTIFIER = /(?<!\\)(?:[+*]|\{\d+,\d*\})\??\)(?:[+*]|\{\d+,\d*\})/;

/**
 * Compiles `source` anchored at both ends. The source must compile on its own first: a valid
 * pattern has balanced groups, so it cannot close the anchoring group early (`a)|(.*` is refused
 * rather than turned into an unanchored alternative). A leading `(?i)`, RE2's case-insensitive
 * flag that rekor-monitor configs use, becomes the `i` flag.
 */
export function compileAnchored(source: string): RegExp | { error: string } {
  if (source.length === 0) return { error: 'must not be empty' };
  if (source.length > MAX_REGEX_CHARS) return { error: `must be at most ${MAX_REGEX_CHARS} characters` };
  const caseless = source.startsWith('(?i)');
  const body = caseless ? source.slice(4) : source;
  if (NESTED_QUANTIFIER.test(body))
    return {
      error:
        'repeats a group that ends in a repetition, like (a+)+ or (.*)*: JavaScript regexes backtrack, and ' +
        'such a pattern can take exponential time on a name crafted by anyone who can submit an entry',
    };
  try {
    new RegExp(body);
    return new RegExp(`^(?:${body})$`, caseless ? 'i' : '');
  } catch (e) {
    return { error: `is not a valid regular expression: ${(e as Error).message}` };
  }
}
