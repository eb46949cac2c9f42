import { isIPv6 } from 'node:net';

/**
 * Checks a rule's regex cannot express. They exist so crash logs stay useful: dotted versions
 * are not IPs, 64-bit payload numbers are not cards, booleans after "token:" are not secrets.
 */
export interface MatchContext {
  value: string;
  groups: Record<string, string | undefined>;
  text: string;
  /** Offsets of the value in `text`. */
  start: number;
  end: number;
  /** Found in binary data (a dump): random bytes make look-alikes, so some checks are stricter. */
  binary?: boolean;
}

const BOOLEANISH = /^(?:true|false|null|nil|none|yes|no|on|off|undefined|n\/a|na|empty|default|\*+|x+|\?+)$/i;
const PLACEHOLDER = /^(?:%[a-z0-9]|\{[^}]*\}?|\$\{?[A-Z_]+\}?|<[^>]*>?)$/i;
const NOT_SECRET_KEY =
  /publickeytoken$|(?:^|[_.-])(?:max|min|num|count|total)[_-]?tokens?$|tokeni[sz]er|tokentype$/i;
const PASSWORDISH = /pass|pwd|secret|private|credential/i;

function before(ctx: MatchContext, n: number): string {
  return ctx.text.slice(Math.max(0, ctx.start - n), ctx.start);
}

function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

const VERSION_BEFORE =
  /(?:version|\bver\.?|\bbuild|\brelease|\bproduct|\bfile|\bruntime|\bsk[sy]e\d*|\bf4se|\bgame|\bv)\s*[:=]?\s*["']?$/i;
const IP_BEFORE =
  /(?:\bip(?:v4)?|addr(?:ess)?|\bhost|server|client|remote|peer|\bfrom|connect(?:ed|ing)?(?: to)?|gateway|\bdns|proxy|endpoint|\bbind|listen(?:ing)?(?: on)?|\bsrc|\bdst)\b\W{0,4}$/i;

/** The character just before the value (the regexes leave boundaries to code: lookbehinds first are slow). */
function prevChar(ctx: MatchContext): string {
  return ctx.start > 0 ? ctx.text[ctx.start - 1]! : '';
}

function ipv4(ctx: MatchContext): boolean {
  if (/[0-9A-Za-z.:_-]/.test(prevChar(ctx))) return false;
  const parts = ctx.value.split('.').map(Number);
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  if (a === 0 || a === 127 || ctx.value === '255.255.255.255') return false;
  const pre = before(ctx, 32);
  const after = ctx.text.slice(ctx.end, ctx.end + 6);
  if (/:\/\/$/.test(pre) || /^:\d{1,5}(?!\d)/.test(after) || IP_BEFORE.test(pre)) return true;
  if (VERSION_BEFORE.test(before(ctx, 24))) return false;
  // "Sentinel Agent 4.2.3.128\InProcessClient32.dll": a version naming a folder.
  if (after.startsWith('\\')) return false;
  // Bare dotted quads in crash logs are nearly always versions (x.y.z.0, 1.2.3.456).
  return d !== 0 && a >= 3 && !(a < 10 && b < 10 && c < 10);
}

function ipv6(ctx: MatchContext): boolean {
  const v = ctx.value.replace(/%.*$/, '');
  if (v === '::' || v === '::1' || !/[0-9]/.test(v)) return false;
  if (!isIPv6(v)) return false;
  // "12:34:56"-like runs of short decimal groups with no "::" are times, not addresses.
  const groups = v.split(':').filter(Boolean);
  if (!v.includes('::') && groups.every((g) => /^\d{1,2}$/.test(g))) return false;
  return true;
}

const CARD_WORD = /(?:card|\bcc\b|credit|debit|visa|master ?card|amex|payment|kart|카드)[^\n]{0,24}$/i;

function card(ctx: MatchContext): boolean {
  if (/[0-9A-Za-z.+_-]/.test(prevChar(ctx))) return false;
  const digits = ctx.value.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19 || !luhn(digits)) return false;
  const grouped = /^\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}$/.test(ctx.value);
  if (grouped) return true;
  // A contiguous number is only a card when quoted or named as one: 64-bit payloads,
  // FILETIMEs and hashes in JSON/JSONL are numbers, not strings.
  const b = before(ctx, 1);
  return b === '"' || b === "'" || CARD_WORD.test(before(ctx, 40));
}

function phone(ctx: MatchContext): boolean {
  // The keyed form ("tel: …") has its own context; the bare forms must stand alone.
  if (ctx.groups.v !== undefined && /[0-9A-Za-z+_.:/-]/.test(prevChar(ctx))) return false;
  const digits = ctx.value.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return false;
  // "+0x…" register offsets and "+1234" byte counts never get here (the regex needs 8+ digits).
  return true;
}

function secretValue(ctx: MatchContext): boolean {
  // The regex starts at the keyword ("Token"); the whole key ("PublicKeyToken") is what decides.
  const keyed = /([A-Za-z0-9_.-]{0,96})["']?[ \t]*[=:][ \t]*["']?$/.exec(before(ctx, 128));
  const key = keyed?.[1] || (ctx.groups.k ?? '');
  const v = ctx.value;
  if (NOT_SECRET_KEY.test(key)) return false;
  if (BOOLEANISH.test(v) || PLACEHOLDER.test(v)) return false;
  if (/^\d{1,5}$/.test(v) && !PASSWORDISH.test(key)) return false;
  // "token: 3 of 5", "cookie: none": values shorter than four characters are not secrets unless named a password.
  if (v.length < 4 && !PASSWORDISH.test(key)) return false;
  return true;
}

/** 3c:7d:0a:9e:41:b2, not all-zero / broadcast / one repeated byte (placeholders and fill patterns). */
function mac(ctx: MatchContext): boolean {
  const hex = ctx.value.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
  if (hex.length !== 12 || /^(..)\1{5}$/.test(hex)) return false;
  // In memory, six decimal pairs are far more often a date or a counter than an address.
  if (ctx.binary && /^[0-9]+$/.test(hex)) return false;
  return true;
}

/** A person's name: letters, at most four words, not a placeholder, a file name or a version. */
function personName(ctx: MatchContext): boolean {
  const v = ctx.value.trim();
  if (BOOLEANISH.test(v) || PLACEHOLDER.test(v)) return false;
  if (!/[A-Za-z\u00c0-\uffff]/.test(v)) return false;
  if (/\.(?:exe|dll|esp|esm|esl|txt|log|json|ini|dmp)$/i.test(v)) return false;
  return true;
}

/**
 * Not the user:password@ part of a URL (url-credentials handles that, keeping the host). In
 * memory "S@t.Js" is noise: a real address has a lower-case domain and a plain TLD.
 */
function email(ctx: MatchContext): boolean {
  if (/:\/\/[^\s/@]{0,256}$/.test(before(ctx, 260))) return false;
  if (!ctx.binary) return true;
  const plain = ctx.value.replace(/%40/i, '@');
  const at = plain.lastIndexOf('@');
  const local = plain.slice(0, at);
  const domain = plain.slice(at + 1);
  return (
    local.length >= 2 && /^(?:[a-z0-9-]+\.)+[a-z]{2,12}$/.test(domain.toLowerCase() === domain ? domain : '')
  );
}

export const VALIDATORS = {
  email,
  ipv4,
  ipv6,
  card,
  phone,
  'secret-value': secretValue,
  mac,
  'person-name': personName,
} satisfies Record<string, (ctx: MatchContext) => boolean>;

export type ValidatorName = keyof typeof VALIDATORS;
