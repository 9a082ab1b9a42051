/**
 * Text for a terminal: control characters (C0, DEL, C1, the bidi marks, embeddings, overrides and isolates, and the line separators) shown
 * as \u escapes, so nothing a log sent, or a state file holds, can move the cursor or rewrite a line.
 */
export function printable(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const control =
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x200e ||
      c === 0x200f ||
      c === 0x2028 ||
      c === 0x2029 ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069);
    out += control ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}
