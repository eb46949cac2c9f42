import { isBlank } from './common';

/**
 * Logs pasted into issue threads and forums come wrapped: every line quoted ("> ") or indented
 * as a Markdown code block. Unwrapped here, the section titles are back at column 0 and the
 * grammar reads them as it reads the file. Lines are changed in place, never added or removed,
 * so line numbers still point at the input.
 */

const QUOTED = /^[ \t]{0,3}>[ \t]?/;

/** `QUOTED.test(l)` by character (run on every line of every log). */
function isQuoted(l: string): boolean {
  let i = 0;
  while (i < 3 && (l.charCodeAt(i) === 32 || l.charCodeAt(i) === 9)) i++;
  return l.charCodeAt(i) === 62; /* > */
}

/** Returns what was undone ("quote markers", "a 4-character indent"), or null when nothing was. */
export function unwrapPaste(lines: string[]): string | null {
  let nonEmpty = 0;
  let quoted = 0;
  for (const l of lines) {
    if (isBlank(l)) continue;
    nonEmpty++;
    if (isQuoted(l)) quoted++;
  }
  if (nonEmpty === 0) return null;
  const undone: string[] = [];
  if (quoted / nonEmpty >= 0.6) {
    for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.replace(QUOTED, '');
    undone.push('quote markers');
  }
  // The whitespace every non-empty line starts with (a Markdown code block's 4 spaces).
  let prefix: string | null = null;
  for (const l of lines) {
    if (isBlank(l)) continue;
    const ws = /^[ \t]*/.exec(l)![0];
    if (prefix === null) prefix = ws;
    else {
      let k = 0;
      while (k < prefix.length && k < ws.length && prefix[k] === ws[k]) k++;
      prefix = prefix.slice(0, k);
    }
    if (prefix === '') break;
  }
  if (prefix && (prefix.length >= 2 || prefix === '\t')) {
    for (let i = 0; i < lines.length; i++)
      if (lines[i]!.startsWith(prefix)) lines[i] = lines[i]!.slice(prefix.length);
    undone.push(`a ${prefix.length}-character indent`);
  }
  return undone.length ? undone.join(' and ') : null;
}
