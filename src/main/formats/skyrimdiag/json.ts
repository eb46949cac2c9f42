import { stripBom } from '../../../shared/text';
import { ParseError } from '../common/parse-error';

/**
 * JSON for SkyrimDiag files, whose 64-bit integers (black-box payloads, FILETIMEs) are above
 * 2^53: integer literals of 16 digits or more are turned into strings before JSON.parse, so
 * they arrive exact. Strings are skipped by a small scanner (a digit run inside a string is
 * left alone). Everything else is JSON.parse's own strictness.
 */

const LONG_INT = 16;

export function quoteLongIntegers(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i += 2;
        else if (c === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if ((ch >= 48 && ch <= 57) || ch === 45 /* - */) {
      let j = ch === 45 ? i + 1 : i;
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const digits = j - (ch === 45 ? i + 1 : i);
      const next = text.charCodeAt(j);
      // Only plain integers: a fraction or exponent is a real number, left as is.
      if (digits >= LONG_INT && next !== 46 && next !== 101 && next !== 69) {
        out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

export function parseJsonExact(text: string, file: string, field = 'json'): unknown {
  try {
    return JSON.parse(quoteLongIntegers(stripBom(text)));
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new ParseError(`not valid JSON (${(e as Error).message})`, {
      file,
      field,
      offset: pos ? Number(pos) : 0,
      code: 'bad_json',
    });
  }
}

export type Obj = Record<string, unknown>;

/** A whole SkyrimDiag JSON file that must be an object, after a size check. */
export function readJsonObject(input: Buffer | string, file: string, limit: number, what: string): Obj {
  if (Buffer.isBuffer(input) && input.length > limit)
    throw new ParseError(`${what} is ${input.length} bytes; the limit is ${limit}`, {
      file,
      code: 'too_large',
    });
  const root = obj(parseJsonExact(typeof input === 'string' ? input : input.toString('utf8'), file));
  if (!root)
    throw new ParseError(`${what} is not a JSON object`, { file, field: '(root)', code: 'bad_field' });
  return root;
}
export const obj = (v: unknown): Obj | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
export const str = (v: unknown, max = 4096): string | null =>
  typeof v === 'string' && v.length > 0 ? (v.length > max ? v.slice(0, max) : v) : null;
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const int = (v: unknown): number | null => {
  const x = num(v);
  return x !== null && Number.isInteger(x) ? x : null;
};
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
/** A 64-bit value as a decimal string: exact strings from quoteLongIntegers, or a safe number. */
export const u64 = (v: unknown): string | null =>
  typeof v === 'string' && /^-?\d{1,20}$/.test(v)
    ? v
    : typeof v === 'number' && Number.isSafeInteger(v)
      ? String(v)
      : null;
export const arr = (v: unknown, max: number): unknown[] => (Array.isArray(v) ? v.slice(0, max) : []);
