/**
 * Proof that a `^`-anchored whole-log regex has no match, from the log's lines, without building
 * the joined text (issue 15: `^VersionInfo:(?!\s*Successfully)` built the whole text of every
 * NetScriptFramework log, whose "VersionInfo: Successfully loaded" line passes any literal gate).
 *
 * The engine runs whole-log regexes with the `m` flag (and `i` unless case-sensitive) over
 * `lines.join('\n')`. For a source of the form `^` P M [`(?!` L `)`] where
 *  - P is a non-empty run of plain ASCII characters,
 *  - M holds only atoms that can neither match a line terminator nor look behind (see
 *    `lineLocal`), with no top-level alternation, and
 *  - L has no lookaround and no back-reference,
 * every match in the joined text starts at a line start (when no line holds U+2028/U+2029, the
 * other terminators `^` honours) on a line beginning with P's first character; P and M read
 * that line only, and meet its end exactly as they meet the end of the line alone ("\n" and the
 * end of input are alike to `$` with `m`, to `\b`, and to every atom M allows). L may read past
 * the line, but whatever L matches within the line alone it also matches in the joined text. So
 * if the regex matches no candidate line on its own, it has no match in the joined text. When a
 * line does match, nothing is concluded and the caller searches the joined text as before.
 */

/** Characters that are a regex atom of their own, not a literal. */
const SYNTAX = new Set([...'\\^$.|?*+()[]{}/']);
const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;

export type LineAbsence = (lines: readonly string[]) => boolean;

/**
 * A function that is true only when `new RegExp(source, caseSensitive ? 'gm' : 'gim')` certainly
 * has no match in `lines.join('\n')`, given that no line contains U+2028 or U+2029 (the caller
 * checks); null when the source is not of the shape above.
 */
export function lineAbsence(source: string, caseSensitive: boolean): LineAbsence | null {
  if (!source.startsWith('^')) return null;
  let i = 1;
  while (
    i < source.length &&
    !SYNTAX.has(source[i]!) &&
    source.charCodeAt(i) >= 0x20 &&
    source.charCodeAt(i) < 0x7f
  )
    i++;
  // A quantifier binds to the character before it, which then is not sure to be there.
  if ('?*+{'.includes(source[i] ?? '') && i < source.length) i--;
  if (i <= 1) return null;
  const first = source.charCodeAt(1);
  let rest = source.slice(i);
  const tail = trailingNegativeLookahead(rest);
  if (tail !== null) {
    if (!lookaroundFree(tail.inner)) return null;
    rest = tail.before;
  }
  if (!lineLocal(rest)) return null;
  let re: RegExp | null = null;
  const folded = first | 0x20;
  const letter = folded >= 0x61 && folded <= 0x7a;
  return (lines) => {
    for (const line of lines) {
      const c = line.charCodeAt(0);
      // Without the `u` flag, `i` pairs an ASCII letter only with its other ASCII case.
      const candidate = c === first || (!caseSensitive && letter && (c | 0x20) === folded);
      if (candidate && (re ??= new RegExp(source, caseSensitive ? 'm' : 'im')).test(line)) return false;
    }
    return true;
  };
}

/** Index just past the class that starts at `at` ("["), or -1 when it is not closed. */
function classEnd(src: string, at: number): number {
  for (let i = at + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']' && i > at + 1) return i + 1;
  }
  return -1;
}

/** `rest` as `before` + "(?!" + `inner` + ")" with that group closing at the very end, or null. */
function trailingNegativeLookahead(rest: string): { before: string; inner: string } | null {
  if (!rest.endsWith(')')) return null;
  // Walk forward tracking depth; the last group opened at depth 0 must be "(?!" and close at the end.
  let depth = 0;
  let openAt = -1;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      const end = classEnd(rest, i);
      if (end < 0) return null;
      i = end - 1;
    } else if (ch === '(') {
      if (depth === 0) openAt = i;
      depth++;
    } else if (ch === ')') {
      depth--;
      if (depth < 0) return null;
      if (depth === 0 && i === rest.length - 1) {
        if (!rest.startsWith('(?!', openAt)) return null;
        return { before: rest.slice(0, openAt), inner: rest.slice(openAt + 3, i) };
      }
    }
  }
  return null;
}

/** No lookaround (it could look anywhere) and no back-reference (it repeats what another part read). */
function lookaroundFree(src: string): boolean {
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      const e = src[i + 1] ?? '';
      if (/[1-9k]/.test(e)) return false;
      i++;
    } else if (ch === '[') {
      const end = classEnd(src, i);
      if (end < 0) return false;
      i = end - 1;
    } else if (ch === '(' && src[i + 1] === '?' && src[i + 2] !== ':') return false;
  }
  return true;
}

/**
 * True when every atom of `src` fails on a line terminator exactly as it fails at the end of the
 * input, and nothing looks behind: literals (no line terminator), `.` (no `s` flag), `\d \w \S
 * \b \B \t`, escaped punctuation, classes of printable ASCII that are not negated, groups `(` and
 * `(?:`, quantifiers, `$`, `^`, and `|` inside a group only.
 */
function lineLocal(src: string): boolean {
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (LINE_TERMINATORS.test(ch)) return false;
    if (ch === '\\') {
      const e = src[i + 1] ?? '';
      if (!(/[dwSbBt]/.test(e) || /[!-/:-@[-`{-~]/.test(e))) return false;
      i++;
    } else if (ch === '[') {
      const end = classEnd(src, i);
      if (end < 0 || src[i + 1] === '^') return false;
      for (let j = i + 1; j < end - 1; j++) {
        const c = src.charCodeAt(j);
        if (c < 0x20 || c > 0x7e) return false;
        if (src[j] === '\\') {
          const e = src[j + 1] ?? '';
          if (!(/[dw]/.test(e) || /[!-/:-@[-`{-~]/.test(e))) return false;
          j++;
        }
      }
      i = end - 1;
    } else if (ch === '(') {
      if (src[i + 1] === '?' && src[i + 2] !== ':') return false;
      depth++;
    } else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return false;
  }
  return depth === 0;
}
