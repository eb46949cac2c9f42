import { stripBom } from '../../../shared/text';

/**
 * The INI dialect Qt's QSettings writes, which is what Mod Organizer 2 uses for
 * ModOrganizer.ini and each mod's meta.ini. Differences from a plain INI that matter here:
 *
 * - values are escaped C-style (`\\`, `\"`, `\n`, `\t`, `\xHHHH`, octal) and may be quoted;
 *   an unquoted comma makes a string list;
 * - `@ByteArray(...)` wraps raw bytes (MO2 stores paths and the profile name that way), and a
 *   leading `@@` stands for a literal `@`;
 * - keys may hold `%XX` / `%UXXXX` escapes and use `\` for `/` (sub-keys such as `1\modid`);
 * - `;` starts a comment outside quotes, and a line ending in a backslash continues.
 *
 * Parsing never throws: a line that is not a section, a key or a comment becomes a problem
 * with its line number and the rest is still read.
 */

export interface IniProblem {
  line: number;
  message: string;
}

export interface QtIni {
  /** Section name (as written, case kept) → key (lower-cased, `/`-separated) → value. */
  sections: Map<string, Map<string, string>>;
  problems: IniProblem[];
}

/** Cap on the number of lines looked at: a meta.ini is a few dozen, ModOrganizer.ini a few hundred. */
const MAX_LINES = 200_000;

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '?': '?',
  "'": "'",
  '\\': '\\',
};

const HEX = /^[0-9a-fA-F]$/;
const OCT = /^[0-7]$/;

/**
 * Undoes QSettings' value escaping. Returns the string and whether an unquoted comma made it
 * a list (the items are joined back with ", " so a path with a stray comma survives).
 */
export function unescapeQtValue(raw: string): { value: string; isList: boolean } {
  const items: string[] = [];
  let cur = '';
  let inQuotes = false;
  let isList = false;
  let i = 0;
  // Only raw spaces are trimmed: not escaped ones, not quoted ones (as Qt does).
  let keep = 0;
  const skipSpaces = () => {
    while (i < raw.length && (raw[i] === ' ' || raw[i] === '\t')) i++;
  };
  const finishItem = () => {
    let end = cur.length;
    while (end > keep && (cur[end - 1] === ' ' || cur[end - 1] === '\t')) end--;
    items.push(cur.slice(0, end));
    cur = '';
    keep = 0;
  };
  skipSpaces();
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === undefined) {
        i++;
        continue;
      }
      if (next in SIMPLE_ESCAPES) {
        cur += SIMPLE_ESCAPES[next];
        keep = cur.length;
        i += 2;
        continue;
      }
      if (next === 'x') {
        let j = i + 2;
        let code = 0;
        // A run of hex digits; Qt stops at the first non-hex character.
        while (j < raw.length && HEX.test(raw[j]!) && j - (i + 2) < 8) {
          code = code * 16 + Number.parseInt(raw[j]!, 16);
          j++;
        }
        if (j > i + 2) cur += codePoint(code);
        keep = cur.length;
        i = j;
        continue;
      }
      if (OCT.test(next)) {
        let j = i + 1;
        let code = 0;
        while (j < raw.length && OCT.test(raw[j]!) && j - (i + 1) < 6) {
          code = code * 8 + Number.parseInt(raw[j]!, 8);
          j++;
        }
        cur += codePoint(code);
        keep = cur.length;
        i = j;
        continue;
      }
      // Unknown escape: Qt drops the backslash's next character.
      i += 2;
      continue;
    }
    if (ch === '"') {
      inQuotes = !inQuotes;
      i++;
      if (!inQuotes) {
        keep = cur.length;
        skipSpaces();
      }
      continue;
    }
    if (ch === ',' && !inQuotes) {
      isList = true;
      finishItem();
      i++;
      skipSpaces();
      continue;
    }
    cur += ch;
    if (inQuotes) keep = cur.length;
    i++;
  }
  finishItem();
  return { value: items.join(', '), isList };
}

function codePoint(code: number): string {
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
}

/** `%XX` / `%UXXXX` escapes and `\` → `/` in keys; compared case-insensitively afterwards. */
export function unescapeQtKey(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      out += '/';
      continue;
    }
    if (ch === '%') {
      const wide = raw[i + 1] === 'U';
      const start = wide ? i + 2 : i + 1;
      const digits = raw.slice(start, start + (wide ? 4 : 2));
      if (digits.length === (wide ? 4 : 2) && /^[0-9a-fA-F]+$/.test(digits)) {
        out += String.fromCharCode(Number.parseInt(digits, 16));
        i = start + digits.length - 1;
        continue;
      }
    }
    out += ch;
  }
  return out.trim().toLowerCase();
}

/**
 * `@ByteArray(C:\Games\Skyrim)` → `C:\Games\Skyrim`. The bytes inside are UTF-8 (MO2 writes
 * paths and profile names as UTF-8 byte arrays); `@@x` → `@x`; anything else is returned as is.
 */
export function qtVariantString(value: string): string {
  if (value.startsWith('@ByteArray(') && value.endsWith(')')) {
    const inner = value.slice('@ByteArray('.length, -1);
    // Escapes above produced one char per byte for \x sequences: re-read them as UTF-8.
    if (/[\u0080-\u00ff]/.test(inner) && [...inner].every((c) => c.charCodeAt(0) <= 0xff)) {
      const decoded = Buffer.from(inner, 'latin1').toString('utf8');
      if (!decoded.includes('\uFFFD')) return decoded;
    }
    return inner;
  }
  if (value.startsWith('@@')) return value.slice(1);
  return value;
}

/** Splits on CR/LF, joins backslash-continued lines, drops a UTF-8 BOM. */
function logicalLines(text: string): { line: number; text: string }[] {
  const physical = stripBom(text).split(/\r\n|\n|\r/);
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | null = null;
  for (let i = 0; i < physical.length && i < MAX_LINES; i++) {
    const t = physical[i]!;
    // An odd number of trailing backslashes continues the line.
    const m = /(\\+)$/.exec(t);
    const continues = !!m && m[1]!.length % 2 === 1;
    const body = continues ? t.slice(0, -1) : t;
    if (pending) pending.text += body;
    else pending = { line: i + 1, text: body };
    if (!continues) {
      out.push(pending);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** Strips a `;` comment that is outside quotes. */
function stripComment(value: string): string {
  let inQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === ';' && !inQuotes) return value.slice(0, i);
  }
  return value;
}

export function parseQtIni(text: string): QtIni {
  const sections = new Map<string, Map<string, string>>();
  const problems: IniProblem[] = [];
  let current = sections.get('General') ?? new Map<string, string>();
  sections.set('General', current);
  for (const { line, text: t } of logicalLines(text)) {
    const s = t.trim();
    if (!s || s.startsWith(';') || s.startsWith('#')) continue;
    if (s.startsWith('[')) {
      const close = s.indexOf(']');
      if (close < 0) {
        problems.push({ line, message: `section header without "]": ${clip(s)}` });
        continue;
      }
      const name = unescapeQtKey(s.slice(1, close)) || 'General';
      // Section lookup is case-insensitive like the keys; keep the first spelling.
      const existing = [...sections.keys()].find((k) => k.toLowerCase() === name);
      const key = existing ?? s.slice(1, close).trim();
      current = sections.get(key) ?? new Map<string, string>();
      sections.set(key, current);
      continue;
    }
    const eq = s.indexOf('=');
    if (eq <= 0) {
      problems.push({ line, message: `not a "key=value" line: ${clip(s)}` });
      continue;
    }
    const key = unescapeQtKey(s.slice(0, eq));
    if (!key) {
      problems.push({ line, message: 'empty key' });
      continue;
    }
    const { value } = unescapeQtValue(stripComment(s.slice(eq + 1)));
    current.set(key, value);
  }
  return { sections, problems };
}

/** A value by section (case-insensitive) and key, as a plain string (`@ByteArray` unwrapped). */
export function iniGet(ini: QtIni, section: string, key: string): string | undefined {
  const want = section.toLowerCase();
  for (const [name, values] of ini.sections) {
    if (name.toLowerCase() !== want) continue;
    const v = values.get(key.toLowerCase());
    if (v !== undefined) return qtVariantString(v);
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
