import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import iconv from 'iconv-lite';
import { basename } from 'node:path';
import type { RedactionCategory } from '../../shared/domain/bundle';

/**
 * Who the bundle must not reveal: user names, machine names, accounts, plus every other value a
 * rule found (an e-mail, a token…). Each value gets one stand-in for the whole bundle, so a
 * developer can still see that two files mention the same user without learning who it is.
 */
export interface Identity {
  value: string;
  category: RedactionCategory;
  token: string;
  learnedFrom: string;
}

/** Categories whose first stand-in has no number: there is usually one user and one machine. */
const UNNUMBERED = new Set<RedactionCategory>(['user', 'machine', 'org']);
const TOKEN_LABEL: Record<RedactionCategory, string> = {
  user: 'user',
  machine: 'machine',
  org: 'org',
  email: 'email',
  ip: 'ip',
  secret: 'secret',
  jwt: 'jwt',
  steam: 'steam-id',
  epic: 'epic-id',
  gog: 'gog-id',
  card: 'card',
  phone: 'phone',
  sid: 'sid',
  word: 'redacted',
};

/**
 * Account and host names that name nobody (or are ordinary words), so they are not scrubbed
 * from every file. Inside a profile path they are still replaced by the path rule.
 */
const GENERIC = new Set(
  [
    'root',
    'user',
    'users',
    'admin',
    'administrator',
    'guest',
    'owner',
    'public',
    'default',
    'system',
    'steamuser',
    'deck',
    'pc',
    'desktop',
    'laptop',
    'home',
    'test',
    'player',
    'local',
    'localhost',
    'service',
    'workgroup',
    'runner',
    'ubuntu',
    'debian',
    'node',
    'app',
    'win',
    'windows',
    'skyrim',
    'fallout',
    'games',
    'game',
    'documents',
    'appdata',
  ].map((s) => s.toLowerCase()),
);

export function normalizeValue(v: string): string {
  return v.normalize('NFC').trim().toLowerCase();
}

export function isGenericName(v: string): boolean {
  return GENERIC.has(normalizeValue(v));
}

/** Stand-in tokens already in a text ("<user>", "<email-1>") must never be treated as values. */
export function isToken(v: string): boolean {
  return /^<[a-z][a-z0-9-]*>$/.test(v.trim()) || /^<redacted>$/i.test(v.trim());
}

export class PseudonymTable {
  private readonly byKey = new Map<string, Identity>();
  private readonly counters = new Map<RedactionCategory, number>();
  private readonly order: Identity[] = [];

  /** The stand-in for a value, allocating the next one for its category on first sight. */
  tokenFor(category: RedactionCategory, value: string, learnedFrom: string): string {
    const key = `${category}|${normalizeValue(value)}`;
    const have = this.byKey.get(key);
    if (have) return have.token;
    const n = (this.counters.get(category) ?? 0) + 1;
    this.counters.set(category, n);
    const label = TOKEN_LABEL[category];
    const token = UNNUMBERED.has(category) && n === 1 ? `<${label}>` : `<${label}-${n}>`;
    const id: Identity = { value, category, token, learnedFrom };
    this.byKey.set(key, id);
    this.order.push(id);
    return token;
  }

  lookup(category: RedactionCategory, value: string): Identity | undefined {
    return this.byKey.get(`${category}|${normalizeValue(value)}`);
  }

  /** Every value seen, in the order it was first seen. */
  all(): readonly Identity[] {
    return this.order;
  }
}

/**
 * Values replaced wherever they appear (not only where a rule's context matches): the local
 * user and machine, names learned from profile paths, the user's extra words, and every
 * discovered secret. `version` changes when one is added, so compiled matchers know to rebuild.
 */
export class IdentitySet {
  private readonly items = new Map<string, Identity>();
  version = 0;

  constructor(readonly table: PseudonymTable) {}

  /** Adds a value (and its useful variants). Returns true when something new was added. */
  add(category: RedactionCategory, raw: string, learnedFrom: string): boolean {
    const value = raw.normalize('NFC').trim();
    if (!literalWorthy(category, value)) return false;
    const token = this.table.tokenFor(category, value, learnedFrom);
    let added = false;
    for (const v of variants(category, value)) {
      const key = normalizeValue(v);
      if (this.items.has(key) || !literalWorthy(category, v)) continue;
      this.items.set(key, { value: v, category, token, learnedFrom });
      added = true;
    }
    if (added) this.version++;
    return added;
  }

  list(): Identity[] {
    // Longest first, so "kim.lee" wins over "kim" when both are identities.
    return [...this.items.values()].sort((a, b) => b.value.length - a.value.length);
  }
}

function literalWorthy(category: RedactionCategory, v: string): boolean {
  // No name, host or account holds < or >: such a value is (part of) a stand-in.
  if (!v || isToken(v) || /[<>]/.test(v) || v.length > 512) return false;
  if (/^\d+$/.test(v)) return v.length >= 6;
  if (category === 'word') return v.length >= 2;
  if (isGenericName(v)) return false;
  // Two letters ("jo", "li") would eat the middle of every other word; they are replaced in
  // paths and key=value contexts only.
  return [...v].length >= 3;
}

function variants(category: RedactionCategory, v: string): string[] {
  const out = new Set<string>([v]);
  // Found URL-encoded ("J%C3%B6rg", "kim%40example.org"): the value is also written plainly.
  if (/%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      const decoded = decodeURIComponent(v);
      if (decoded !== v) for (const d of variants(category, decoded)) out.add(d);
    } catch {
      // Not valid percent-encoding: only the form seen.
    }
  }
  const plain = v.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  // "Jörg Weiß" is also typed without its accents: the plain spelling gets the same variants.
  if (plain !== v) for (const p of variants(category, plain)) out.add(p);
  if (category === 'secret') {
    // A webhook's "id/token": the token alone is just as secret wherever it appears.
    for (const part of v.split(/\/|%2F/i)) if (part !== v && part.length >= 16) out.add(part);
  }
  if (category === 'card' || category === 'phone') {
    // The same number written without its spaces or dashes.
    const digits = v.replace(/\D/g, '');
    if (digits.length >= 8) out.add(digits);
  }
  if (category === 'user' || category === 'word') {
    // "John Smith" is also written "John.Smith", "JohnSmith", "john_smith"; and each part alone.
    const parts = v.split(/[ ._-]+/).filter(Boolean);
    if (parts.length > 1) {
      out.add(parts.join(''));
      out.add(parts.join('.'));
      out.add(parts.join('_'));
      for (const p of parts) if ([...p].length >= 3 && !isGenericName(p)) out.add(p);
    }
    // 8.3 short names of long profile folders: "JOHNSM~1".
    const compact = parts.join('').replace(/[^A-Za-z0-9]/g, '');
    if (compact.length > 8) out.add(`${compact.slice(0, 6)}~1`);
  }
  return [...out];
}

export interface LocalIdentity {
  category: RedactionCategory;
  value: string;
  learnedFrom: string;
}

/**
 * Where "this computer" names come from. The default asks the OS; tests (and Linux machines
 * standing in for a Windows one) inject their own, notably the account's full name, which only
 * Windows knows (GetUserNameEx NameDisplay, the "Full Name" of `net user`).
 */
export interface IdentitySource {
  account(): string | null;
  host(): string | null;
  /** The account's display name ("Kim Lee"), when the system has one. */
  fullName(): string | null;
}

export const osIdentitySource: IdentitySource = {
  account: () => {
    try {
      return userInfo().username;
    } catch {
      // No passwd entry (some containers): the environment still names the user.
      return null;
    }
  },
  host: () => hostname(),
  fullName: () => windowsFullName(),
};

/**
 * The machine we run on: its user and host names, the account's full name, the profile folder's
 * name, the domain. Tests pass their own list, or their own `source`.
 */
export function localIdentities(
  env: NodeJS.ProcessEnv = process.env,
  source: IdentitySource = osIdentitySource,
): LocalIdentity[] {
  const out: LocalIdentity[] = [];
  const push = (category: RedactionCategory, value: string | null | undefined, learnedFrom: string) => {
    if (value && value.trim()) out.push({ category, value: value.trim(), learnedFrom });
  };
  push('user', source.account(), 'this computer (account)');
  push('user', env.USERNAME, 'this computer (USERNAME)');
  push('user', env.USER, 'this computer (USER)');
  push('user', source.fullName(), "this computer (the account's full name)");
  for (const k of ['USERPROFILE', 'HOME'] as const) {
    const p = env[k];
    if (p) push('user', basename(p.replace(/[\\/]+$/, '').replace(/\\/g, '/')), `this computer (${k})`);
  }
  push('machine', source.host(), 'this computer (host name)');
  push('machine', env.COMPUTERNAME, 'this computer (COMPUTERNAME)');
  const domain = env.USERDOMAIN;
  if (domain && domain.toUpperCase() !== (env.COMPUTERNAME ?? '').toUpperCase())
    push('org', domain, 'this computer (USERDOMAIN)');
  for (const [k, v] of Object.entries(env)) {
    // OneDrive for Business folders are named after the organisation.
    if (/^OneDrive(Commercial)?$/i.test(k) && v) {
      const m = /OneDrive - ([^\\/]+)/i.exec(v);
      if (m) push('org', m[1], `this computer (${k})`);
    }
  }
  return out;
}

let fullNameCache: { value: string | null } | null = null;

/**
 * The Windows account's display name, asked once per process: `net user <name>` prints it on
 * its second line ("Full Name", whatever the display language, the value from column 30); a
 * domain account (not in the local SAM) falls back to PowerShell's UserPrincipal.DisplayName.
 * Null elsewhere, or when neither answers within a few seconds.
 */
export function windowsFullName(
  platform: NodeJS.Platform = process.platform,
  run: (file: string, args: string[]) => Buffer = runQuiet,
): string | null {
  if (platform !== 'win32') return null;
  if (fullNameCache) return fullNameCache.value;
  let value: string | null = null;
  const user = process.env.USERNAME;
  try {
    if (user) value = parseNetUserFullName(decodeConsole(run('net.exe', ['user', user])));
  } catch {
    // Not a local account, or net.exe unavailable.
  }
  if (!value) {
    try {
      const out = run('powershell.exe', [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '[Console]::OutputEncoding=[Text.Encoding]::UTF8; Add-Type -AssemblyName System.DirectoryServices.AccountManagement; [System.DirectoryServices.AccountManagement.UserPrincipal]::Current.DisplayName',
      ]).toString('utf8');
      value = out.trim().split(/\r?\n/)[0]?.trim() || null;
    } catch {
      // No PowerShell, or no directory to ask.
    }
  }
  fullNameCache = { value };
  return value;
}

/** The full name in `net user <name>` output: the second line, after the label's padding. */
export function parseNetUserFullName(text: string): string | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const line = lines[1];
  if (!line) return null;
  // Labels are padded to column 29 in every language; a label longer than that is followed by spaces.
  if (line.length > 29 && line[28] === ' ') return line.slice(29).trim() || null;
  const m = /^\S+(?: \S+)*\s{2,}(\S.*)$/.exec(line);
  return m?.[1]?.trim() || null;
}

function decodeConsole(buf: Buffer): string {
  const utf8 = buf.toString('utf8');
  // Console tools write the OEM code page; a byte that is not UTF-8 means Western OEM (850).
  return utf8.includes('\ufffd') ? iconv.decode(buf, 'cp850') : utf8;
}

function runQuiet(file: string, args: string[]): Buffer {
  return execFileSync(file, args, { timeout: 4000, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
}
