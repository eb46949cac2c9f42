import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HitCounter } from '../../../src/main/privacy/redactor';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { redactText, session } from './helpers';

/**
 * Redaction must not damage crash logs: versions, hex addresses, offsets, FormIDs, timestamps,
 * plugin names and mod authors' build paths all stay. The real fixture logs hold no personal data
 * of their players (their authors stripped it), so the redacted bytes must equal the originals.
 * The "local machine" values are synthetic stand-ins for the machine running the export.
 */
const LOCAL = [
  { category: 'user' as const, value: 'kimchulsoo', learnedFrom: 'USERNAME' },
  { category: 'machine' as const, value: 'GAMINGRIG-01', learnedFrom: 'COMPUTERNAME' },
];

function files(): string[] {
  if (!fixturesAvailable()) return [];
  const out: string[] = [];
  for (const d of readdirSync(real('crashlogs')))
    for (const f of readdirSync(real('crashlogs', d))) out.push(join(d, f));
  out.push(join('..', 'papyrus', 'vanillaNolvusPlugins.txt'));
  return out;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('real crash logs come out byte for byte', () => {
  for (const f of files())
    it(f, () => {
      const s = session(LOCAL);
      const buf = readFileSync(real('crashlogs', f));
      s.engine.scan(buf, 'text', 'discover', 'log');
      const spans = s.engine.scan(buf, 'text', 'redact', 'log');
      const changed = spans.map(
        (x) => `${x.ruleId}: …${buf.toString('utf8', Math.max(0, x.start - 24), x.end + 8)}…`,
      );
      expect(changed).toEqual([]);
      expect(s.engine.rewrite(buf, spans, new HitCounter(), 'log', s.tokenOf).equals(buf)).toBe(true);
      // Nothing was learned from them either: no names to carry into other files.
      expect(s.table.all().map((i) => i.token)).toEqual(['<user>', '<machine>']);
    });

  it('the same logs with a player profile path planted (synthetic) lose exactly that', () => {
    const s = session();
    const log = readFileSync(real('crashlogs', 'buffout4-fo4', 'crash-2024-01-30-11-15-15.log'), 'utf8');
    const planted = log.replace(
      'SYSTEM SPECS:',
      'SYSTEM SPECS:\n\tGAME PATH: C:\\Users\\kimchulsoo\\Games\\Fallout 4\\Fallout4.exe',
    );
    expect(redactText(s, planted, 'log').out).toBe(
      log.replace(
        'SYSTEM SPECS:',
        'SYSTEM SPECS:\n\tGAME PATH: C:\\Users\\<user>\\Games\\Fallout 4\\Fallout4.exe',
      ),
    );
  });
});
