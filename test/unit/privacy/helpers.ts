import { defaultRules } from '../../../src/main/privacy/rules';
import type { LocalIdentity } from '../../../src/main/privacy/identities';
import { RedactionSession } from '../../../src/main/privacy/session';
import { HitCounter } from '../../../src/main/privacy/redactor';
import type { ScanCache } from '../../../src/main/privacy/scan-cache';
import { textFilePass, type TextPassOptions } from '../../../src/main/privacy/text-file';

/** A session with pinned "local machine" values (the real ones differ on every machine). */
export function session(local: LocalIdentity[] = [], extraWords: string[] = []): RedactionSession {
  return new RedactionSession({ rules: defaultRules(), local, extraWords });
}

/** Discover, then redact, one text the way a bundle treats a text file (bytes, UTF-8). */
export function redactText(
  s: RedactionSession,
  text: string,
  key = 'file:1',
): { out: string; hits: Record<string, number> } {
  const buf = Buffer.from(text, 'utf8');
  s.engine.scan(buf, 'text', 'discover', key);
  const c = new HitCounter();
  const out = s.engine.rewrite(buf, s.engine.scan(buf, 'text', 'redact', key), c, key, s.tokenOf);
  s.counter(key, 'redacted-text').merge(c);
  return { out: out.toString('utf8'), hits: c.toRecord() };
}

/**
 * Discovery then redaction of one file, as the bundle writer does it: optionally with the scan
 * cache, with scan workers sharing discovery, and with something done between the passes.
 */
export async function redactFile(
  path: string,
  s: RedactionSession,
  o: { cache?: ScanCache; workers?: TextPassOptions['workers']; between?: () => void } = {},
): Promise<{ out: Buffer; counter: HitCounter; onWorkers: number }> {
  const d = await textFilePass(path, {
    engine: s.engine,
    purpose: 'discover',
    learnedFrom: 'f',
    cache: o.cache,
    workers: o.workers,
  });
  o.between?.();
  const chunks: Buffer[] = [];
  const counter = new HitCounter();
  await textFilePass(path, {
    engine: s.engine,
    purpose: 'redact',
    cache: o.cache,
    learnedFrom: 'f',
    counter,
    tokenOf: s.tokenOf,
    write: async (b) => void chunks.push(Buffer.from(b)),
  });
  return { out: Buffer.concat(chunks), counter, onWorkers: d.onWorkers };
}

/** Every place `needle` occurs in `haystack` as ASCII/UTF-8 or UTF-16LE bytes, any case. */
export function findAnyEncoding(haystack: Buffer, needle: string): number[] {
  const hits: number[] = [];
  const forms = new Set<string>();
  for (const v of [needle, needle.toLowerCase(), needle.toUpperCase()]) {
    forms.add(Buffer.from(v, 'utf8').toString('latin1'));
    forms.add(Buffer.from(v, 'utf16le').toString('latin1'));
  }
  // Case-insensitive over a latin1 view folds ASCII (and Latin-1) letters in both encodings.
  const view = haystack.toString('latin1').toLowerCase();
  for (const f of forms) {
    const lf = f.toLowerCase();
    for (let at = view.indexOf(lf); at >= 0; at = view.indexOf(lf, at + 1)) hits.push(at);
  }
  return hits;
}
