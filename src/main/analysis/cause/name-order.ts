/**
 * The order suspects with equal scores are listed in: `Intl.Collator('en-US').compare`, the
 * order `localeCompare` gave on an English system, now the same on every system. Names made
 * only of printable ASCII (nearly every module and plugin name) are compared here without
 * ICU: starting ICU's collator cost 8-38 ms (by load) of a one-log `analyze` run (issue 15).
 *
 * For those characters the collation is two passes. First the characters' primary weights
 * (PRIMARY below; a letter and its capital share one), where a prefix comes first; on a tie,
 * the first place where the case differs, lower case first. test/unit/cause/name-order.test.ts
 * checks this against the collator on random strings and on every real log's names.
 */

/**
 * The printable ASCII characters other than letters, in the collator's primary order (read off
 * `Intl.Collator('en-US')`); the letters come after them, a to z, each sharing its weight with
 * its capital.
 */
const BEFORE_LETTERS = ` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$0123456789`;

/** Code unit 0x20-0x7E → primary weight (from 1); 0 for any other code unit. */
const PRIMARY = new Uint8Array(128);
for (let i = 0; i < BEFORE_LETTERS.length; i++) PRIMARY[BEFORE_LETTERS.charCodeAt(i)] = i + 1;
for (let c = 0; c < 26; c++) PRIMARY[97 + c] = PRIMARY[65 + c] = BEFORE_LETTERS.length + c + 1;

let collator: Intl.Collator | null = null;

function printableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Negative, zero or positive as `Intl.Collator('en-US').compare(a, b)`. */
export function compareNames(a: string, b: string): number {
  if (!printableAscii(a) || !printableAscii(b))
    return (collator ??= new Intl.Collator('en-US')).compare(a, b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = PRIMARY[a.charCodeAt(i)]! - PRIMARY[b.charCodeAt(i)]!;
    if (d !== 0) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  // Same letters, case aside: the first difference is one of case, and lower case sorts first.
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < y ? 1 : -1;
  }
  return 0;
}
