/**
 * The longest run of plain characters every match of a regex must contain, read from its
 * source: "Process Uptime:\s*00:00:[0-2]\d\b" → "Process Uptime:". The rule engine looks for
 * that run with a cheap search before running the regex over a whole log, and skips the regex
 * when it is absent. Conservative by construction: a top-level "|" gives no literal, groups,
 * classes and escapes such as \d end a run, and a character made optional or repeatable by the
 * quantifier after it is left out. Null when no run of at least `min` characters is certain.
 */
export function requiredLiteral(source: string, min = 3): string | null {
  const runs: string[] = [];
  let run = '';
  const end = () => {
    if (run.length >= min) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) return null;
      i++;
      // \x41, \u0041, \cJ and \k<name> stand for characters this reader does not decode.
      if (/[xuck]/.test(next)) return null;
      if (/[0-9]/.test(next)) {
        // A back-reference or octal escape: its digits are not literal.
        while (/[0-9]/.test(source[i + 1] ?? '')) i++;
        end();
      } else if (/[A-Za-z]/.test(next)) end();
      else run += next;
      continue;
    }
    if (ch === '(' || ch === '[') {
      end();
      const close = skipGroupOrClass(source, i);
      if (close < 0) return null;
      i = close;
      continue;
    }
    if (ch === '|' || ch === ')' || ch === ']') return null;
    if (ch === '*' || ch === '?' || ch === '{') {
      // The character before may be absent (or, for "{", this may not be a quantifier at all).
      run = run.slice(0, -1);
      end();
      continue;
    }
    if (ch === '+') {
      end();
      continue;
    }
    if (ch === '.' || ch === '^' || ch === '$' || ch === '}') {
      end();
      continue;
    }
    run += ch;
  }
  end();
  let best: string | null = null;
  for (const r of runs) if (best === null || r.length > best.length) best = r;
  return best;
}

/** Index of the ")" or "]" closing the group or class opened at `open`, or -1. */
function skipGroupOrClass(s: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false;
        if (depth === 0) return i;
      }
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i;
      if (depth < 0) return -1;
    }
  }
  return -1;
}
