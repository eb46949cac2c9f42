import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle, type BundleDeps } from '../../../src/main/export/bundle-writer';
import { localIdentities, type LocalIdentity } from '../../../src/main/privacy/identities';
import { defaultRules } from '../../../src/main/privacy/rules';
import { mapLimit } from '../../../src/main/sources/map-limit';
import { fixturesAvailable } from '../../helpers/fixtures';
import { readZip } from '../export/read-zip';
import {
  DUMP_CARRIERS,
  FORMS,
  ID,
  TEXT_CARRIERS,
  buildFormIncident,
  leaksIn,
  type Carrier,
} from './leak-forms';

/**
 * The leak measurement (SYNTHETIC identity, see leak-forms.ts): every form exported on its own
 * with the public preset, so nothing learned from one form can hide a gap in another; every
 * entry of the zip (decompressed) and the zip file itself are searched for every spelling of
 * every value. The table printed lists the forms that leak and where.
 */
type Row = { form: string; leaks: Partial<Record<Carrier | 'report' | 'zip', string[]>> };

async function measure(dir: string, local: LocalIdentity[], only?: number[]): Promise<Row[]> {
  const deps: BundleDeps = {
    appVersion: 'test',
    rules: defaultRules(),
    local,
    extraWords: [],
    facts: () => null,
    stagingRoot: join(dir, 'tmp'),
  };
  // CTD_LEAK_FORMS=<regex> measures only the matching forms (while working on one rule).
  const pick = process.env.CTD_LEAK_FORMS ? new RegExp(process.env.CTD_LEAK_FORMS, 'i') : null;
  const forms = (only ?? FORMS.map((_f, k) => k)).filter((i) => !pick || pick.test(FORMS[i]!.id));
  // Exports of different forms are independent (a session each): a few at a time keep the disk busy.
  const rows = await mapLimit(forms, 4, async (i) => {
    const row: Row = { form: FORMS[i]!.id, leaks: {} };
    for (const carrier of [...TEXT_CARRIERS, ...(FORMS[i]!.textOnly ? [] : DUMP_CARRIERS)]) {
      const { incident, carriers } = buildFormIncident(join(dir, `form-${i}-${carrier}`), i, carrier);
      const out = join(dir, `form-${i}-${carrier}.zip`);
      await writeBundle(incident, { preset: 'public', includeEtl: false, stacksOnly: false }, out, deps);
      for (const [name, bytes] of await readZip(out)) {
        const found = leaksIn(bytes);
        // Generated files (report.md, bundle.json) count against the carrier they came with.
        const c = carriers.get(name) ?? carrier;
        if (found.length) row.leaks[c] = [...new Set([...(row.leaks[c] ?? []), ...found])];
      }
      const raw = leaksIn(readFileSync(out));
      if (raw.length) row.leaks.zip = [...new Set([...(row.leaks.zip ?? []), ...raw])];
    }
    return row;
  });
  return rows;
}

function print(title: string, rows: Row[]): number {
  const carriers = [...TEXT_CARRIERS, ...DUMP_CARRIERS, 'report', 'zip'] as const;
  const leaking = rows.filter((r) => Object.keys(r.leaks).length > 0);
  const lines = [`${title}: ${leaking.length} of ${rows.length} forms leak`];
  for (const r of leaking) {
    const where = carriers.filter((c) => r.leaks[c]?.length).join(', ');
    const what = [...new Set(Object.values(r.leaks).flat())].join(' ');
    lines.push(`  LEAK  ${r.form.padEnd(40)} in ${where}: ${what}`);
  }
  console.log(lines.join('\n'));
  return leaking.length;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())(
  'leak measurement: one made-up identity in every form and encoding',
  () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ctd-leak-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** The user's Windows machine: environment, host name and the account's full name (GetUserNameEx). */
    const machine = (fullName: string | null): LocalIdentity[] =>
      localIdentities(
        { USERNAME: ID.user, COMPUTERNAME: ID.machine, USERPROFILE: `C:\\Users\\${ID.user}` },
        { account: () => ID.user, host: () => ID.machine, fullName: () => fullName },
      );

    it('a public bundle leaks none of the forms, in any encoding, text or dump memory', async () => {
      const rows = await measure(join(dir, 'known'), machine(ID.fullName));
      expect(print('leak measurement (full name known)', rows)).toBe(0);
    }, 600_000);

    it('without the full name, only a bare full name (which no tool can know) remains', async () => {
      const bare = new Set(['bare full name', 'bare full name, ASCII']);
      const forms = FORMS.map((f, i) => ({ f, i })).filter(
        ({ f }) =>
          bare.has(f.id) ||
          /full name|JSON (name|owner|display_name|full_name|realname)|RegisteredOwner/i.test(f.id),
      );
      const rows = await measure(
        join(dir, 'unknown'),
        machine(null),
        forms.map((x) => x.i),
      );
      print('leak measurement (full name unknown)', rows);
      for (const r of rows)
        if (bare.has(r.form)) continue;
        else expect(r.leaks, r.form).toEqual({});
    }, 600_000);
  },
);
