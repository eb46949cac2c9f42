/**
 * `npm run bench:setup`: what mod-setup awareness costs (issue 17).
 *  1. Reading a SYNTHETIC 2,000-mod MO2 instance (test/helpers/mo2-instance.ts: meta.ini,
 *     plugins with real TES4 headers, SKSE DLLs), cold and warm.
 *  2. Indexing REAL crash logs (hard-linked under dated names) with the setup hook (crash-log
 *     snapshots, profile link, mod names) against the same scan without it, side by side in
 *     one run, each into a fresh index.
 *  3. Starting a bisect over that instance (headers of every plugin, first test profile).
 * Prints numbers and ratios; asserts nothing. The machine may be shared: compare the ratios.
 */
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzers } from '../src/main/analysis/analyzers';
import { bundledRuleSet } from '../src/main/analysis/rules/registry';
import { BisectService } from '../src/main/sources/setup/bisect-service';
import { readMo2Instance } from '../src/main/sources/setup/mo2-instance';
import { SetupService } from '../src/main/sources/setup/setup-service';
import { ingestFolder } from '../src/main/sources/ingest';
import { SqliteIncidentStore } from '../src/main/store/sqlite-store';
import { real } from '../test/helpers/fixtures';
import { writeMo2Instance, type SyntheticMod } from '../test/helpers/mo2-instance';

const MODS = Number(process.env.BENCH_MODS ?? 2_000);
const LOGS = Number(process.env.BENCH_LOGS ?? 300);

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

const isPluginMod = (i: number) => i % 7 !== 0 && i % 11 !== 0;

function mods(n: number): SyntheticMod[] {
  return Array.from({ length: n }, (_, i): SyntheticMod => {
    if (i % 7 === 0)
      return { name: `Dll Mod ${i}`, version: '1.0.0.0', nexusId: 1000 + i, dlls: [`Dll${i}.dll`] };
    if (i % 11 === 0) return { name: `Textures ${i}`, version: '2.0.0.0' };
    // Each plugin needs the game and, where there is one, a plugin 13 mods earlier.
    const masters = ['Skyrim.esm', ...(i > 13 && isPluginMod(i - 13) ? [`P${i - 13}.esp`] : [])];
    return {
      name: `Mod ${i}`,
      version: `1.${i % 9}.0.0`,
      nexusId: 5000 + i,
      plugins: [{ name: `P${i}.esp`, masters }],
    };
  });
}

function logsFolder(root: string): void {
  mkdirSync(root, { recursive: true });
  const src = real('crashlogs', 'skyrim-nsf-nolvus');
  const files = readdirSync(src).filter((f) => f.endsWith('.txt'));
  for (let i = 0; i < LOGS; i++) {
    const d = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000);
    const name = `Crash_${d.getUTCFullYear()}_${d.getUTCMonth() + 1}_${d.getUTCDate()}_${d.getUTCHours()}-${d.getUTCMinutes()}-${i % 60}.txt`;
    linkSync(join(src, files[i % files.length]!), join(root, name));
  }
}

async function index(dir: string, logs: string, setupDir: string | null): Promise<number> {
  const store = SqliteIncidentStore.open(join(dir, 'index.sqlite'), dir);
  const setup = new SetupService(store.setup, store);
  if (setupDir) await setup.add(setupDir);
  const t = performance.now();
  await ingestFolder(store, logs, {
    analyzers,
    env: { rules: bundledRuleSet },
    ...(setupDir
      ? { onIncident: (i: Parameters<SetupService['prepareIncident']>[0]) => setup.prepareIncident(i) }
      : {}),
  });
  const took = performance.now() - t;
  store.close();
  return took;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ctd-bench-setup-'));
  try {
    const inst = join(tmp, 'MO2');
    let t = performance.now();
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: mods(MODS) }] });
    console.log(`synthetic instance: ${MODS} mods written in ${ms(t)}`);
    t = performance.now();
    const a = await readMo2Instance(inst);
    console.log(
      `read instance (cold-ish, page cache warm from writing): ${ms(t)}; ${a.profiles[0]!.plugins.length} plugins, ${a.profiles[0]!.problems.length} problems`,
    );
    t = performance.now();
    await readMo2Instance(inst);
    console.log(`read instance again: ${ms(t)}`);

    const logs = join(tmp, 'logs');
    logsFolder(logs);
    // Alternate the order so neither side always runs on a warmer cache.
    const without: number[] = [];
    const withSetup: number[] = [];
    for (let r = 0; r < 2; r++) {
      const order = r % 2 === 0 ? [false, true] : [true, false];
      for (const on of order) {
        const dir = join(tmp, `db-${r}-${on}`);
        mkdirSync(dir);
        (on ? withSetup : without).push(await index(dir, logs, on ? inst : null));
      }
    }
    const best = (x: number[]) => Math.min(...x);
    console.log(
      `index ${LOGS} real crash logs (2,200-2,400 plugins each): without setup ${best(without).toFixed(0)} ms, with setup hook + ${MODS}-mod instance ${best(withSetup).toFixed(0)} ms, ratio ${(best(withSetup) / best(without)).toFixed(2)}`,
    );

    const data = join(tmp, 'data');
    const store = SqliteIncidentStore.open(join(data, 'index.sqlite'), data);
    const setup = new SetupService(store.setup, store);
    const bisect = new BisectService(data, setup);
    t = performance.now();
    const s = await bisect.start({ profileDir: join(inst, 'profiles', 'Default') });
    console.log(
      `bisect start over ${s.total} plugins (headers read, first profile written): ${ms(t)}; at most ${s.maxRounds} rounds`,
    );
    t = performance.now();
    let rounds = 0;
    let st = s;
    while (!st.done) {
      rounds++;
      st = await bisect.answer(rounds % 2 ? 'good' : 'bad');
    }
    console.log(`bisect ${rounds} answered rounds (each writes a profile): ${ms(t)}`);
    await bisect.reset();
    store.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
