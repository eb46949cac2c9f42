import { cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzers } from '../../../src/main/analysis/analyzers';
import { bundledRuleSet } from '../../../src/main/analysis/rules/registry';
import { ingestFolder, type IncidentHook } from '../../../src/main/sources/ingest';
import { SetupService } from '../../../src/main/sources/setup/setup-service';
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { digestHashes, indexDigest } from '../../helpers/index-digest';
import { writeMo2Instance } from '../../helpers/mo2-instance';

/**
 * The scan writes each incident's mod setup in its write batch, after the incident's row
 * (SetupService.prepareIncident), where it used to write it in a transaction of its own
 * before the row (onIncident, kept). Both must leave the same index. Real crash logs (temp
 * hard links under dated names, removed after the test) and a SYNTHETIC MO2 instance (no real
 * one is in the fixtures) whose profile lists predate the crashes, so profile links are made.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-setup-batch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function logsFolder(root: string): void {
  cpSync(real('crashlogs'), join(root, 'fixtures'), { recursive: true });
  mkdirSync(join(root, 'dated'));
  const src = real('crashlogs', 'skyrim-nsf-nolvus');
  const files = readdirSync(src).filter((f) => f.endsWith('.txt'));
  for (let i = 0; i < 40; i++) {
    const name = `Crash_2026_1_${1 + (i % 28)}_${i % 24}-${i % 60}-${(i * 7) % 60}.txt`;
    linkSync(join(src, files[i % files.length]!), join(root, 'dated', name));
  }
}

async function scanInto(name: string, logs: string, inst: string, hook: 'onIncident' | 'prepareIncident') {
  const data = join(dir, name);
  const store = SqliteIncidentStore.open(join(data, 'index.sqlite'), data);
  const setup = new SetupService(store.setup, store);
  await setup.add(inst);
  const newCrashes: string[] = [];
  setup.onNewCrash = (id) => newCrashes.push(id);
  const onIncident: IncidentHook =
    hook === 'onIncident'
      ? async (i) => ({ verdict: await setup.onIncident(i) })
      : (i) => setup.prepareIncident(i);
  const res = await ingestFolder(store, logs, { analyzers, env: { rules: bundledRuleSet }, onIncident });
  store.close();
  return { digest: indexDigest(join(data, 'index.sqlite'), { clock: true, ties: true }), res, newCrashes };
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('setup writes in the scan batch', () => {
  it('leave every table as the per-incident transaction did (real crash logs, a chosen MO2 instance)', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, {
      profiles: [
        {
          name: 'Default',
          mods: [
            { name: 'Address Library for SKSE Plugins', version: '11.0.0.0', nexusId: 32444 },
            {
              name: 'SSE Engine Fixes (Part 2)',
              version: '6.1.0.0',
              nexusId: 17230,
              rootFiles: ['tbbmalloc.dll'],
            },
            { name: 'JContainers SE', version: '4.2.9.0', nexusId: 16495, dlls: ['JContainers64.dll'] },
            { name: 'SkyUI', version: '5.2.0.0', nexusId: 12604, plugins: [{ name: 'SkyUI_SE.esp' }] },
          ],
        },
      ],
    });
    const old = new Date(2020, 0, 1);
    for (const f of ['modlist.txt', 'plugins.txt', 'loadorder.txt'])
      utimesSync(join(inst, 'profiles', 'Default', f), old, old);
    const logs = join(dir, 'logs');
    logsFolder(logs);

    const before = await scanInto('before', logs, inst, 'onIncident');
    const after = await scanInto('after', logs, inst, 'prepareIncident');
    expect(after.res.errors).toEqual(before.res.errors);
    expect(digestHashes(after.digest)).toEqual(digestHashes(before.digest));
    expect(after.digest).toEqual(before.digest);
    expect([...after.newCrashes].sort()).toEqual([...before.newCrashes].sort());
    // The comparison covers what the hook writes: crash-log and profile links, mods, versions.
    const sources = after.digest.incident_setup!.map((r) => (JSON.parse(r) as { source: string }).source);
    expect(sources).toContain('crashlog');
    expect(sources).toContain('profile');
    expect(after.digest.incident_mods!.length).toBeGreaterThan(0);
    expect(after.digest.mod_versions!.length).toBeGreaterThan(0);
    expect(after.res.added).toBeGreaterThan(40);
  }, 120_000);
});
