/**
 * `npm run bench:export`: redaction throughput on real crash-log text, and the export of a
 * ~200 MB incident (a synthetic full-memory dump + crash logs) with its time and peak RSS, then
 * the import of that bundle. Prints numbers; targets: text ≥ 100 MB/s, 200 MB export < 5 s,
 * peak RSS < 200 MB. The export runs in a fresh child process so its RSS is its own.
 *
 * Synthetic data: no real dump of that size can be shipped, so the dump's memory is generated
 * (zero pages, random bytes and text with a made-up user name, roughly like a game's heap);
 * the log text is the real fixture logs repeated.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesAvailable, real } from '../test/helpers/fixtures';
import { writeSparseDump } from '../test/unit/minidump/synthetic-dump';
import type { LocalIdentity } from '../src/main/privacy/identities';
import { HitCounter } from '../src/main/privacy/redactor';
import { defaultRules } from '../src/main/privacy/rules';
import { RedactionSession } from '../src/main/privacy/session';

const MB = 1024 * 1024;
const args = process.argv.slice(2);
/** The made-up player's account and host name, which the synthetic files plant. */
const BENCH_LOCAL: LocalIdentity[] = [
  { category: 'user', value: 'benchplayer', learnedFrom: 'USERNAME' },
  { category: 'machine', value: 'BENCH-RIG-01', learnedFrom: 'COMPUTERNAME' },
];

function corpus(): Buffer {
  const parts: Buffer[] = [];
  const root = real('crashlogs');
  for (const d of readdirSync(root))
    for (const f of readdirSync(join(root, d))) parts.push(readFileSync(join(root, d, f)));
  return Buffer.concat(parts);
}

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1e6;
}

function textThroughput(): void {
  const base = corpus();
  // Sprinkle synthetic personal data so the replace path runs too (1 line in ~2,000).
  const planted = Buffer.from(
    '\nGAME PATH: C:\\Users\\benchplayer\\Games\\Skyrim Special Edition\\SkyrimSE.exe from bench.player@example.com\n',
  );
  const pieces: Buffer[] = [];
  let size = 0;
  while (size < 128 * MB) {
    pieces.push(base, planted);
    size += base.length + planted.length;
  }
  const text = Buffer.concat(pieces);
  const s = new RedactionSession({ rules: defaultRules(), local: BENCH_LOCAL });
  const chunk = 4 * MB;
  const pass = (purpose: 'discover' | 'redact') => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let hits = 0;
    for (let off = 0; off < text.length; off += chunk) {
      const piece = text.subarray(off, off + chunk);
      const spans = s.engine.scan(piece, 'text', purpose, 'bench');
      if (purpose === 'redact') {
        const counter = new HitCounter();
        s.engine.rewrite(piece, spans, counter, 'bench', s.tokenOf);
        hits += counter.total;
      }
    }
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(c0);
    return { wall, cpu, hits };
  };
  pass('redact'); // warm-up (JIT)
  const d = pass('discover');
  const r = pass('redact');
  const mb = text.length / MB;
  console.log(`text corpus: ${mb.toFixed(1)} MB (real crash logs repeated, synthetic PII every ~1.4 MB)`);
  console.log(
    `  redaction pass:  ${(mb / r.wall).toFixed(1)} MB/s wall, ${(mb / r.cpu).toFixed(1)} MB/s cpu  (${r.hits} replacements)   target >= 100 MB/s`,
  );
  console.log(
    `  discovery pass:  ${(mb / d.wall).toFixed(1)} MB/s wall, ${(mb / d.cpu).toFixed(1)} MB/s cpu`,
  );
}

/** A ~170 MB dump whose Memory64List data looks like a heap: zero pages, random bytes, strings. */
function bigDump(path: string, total: number): void {
  const d = writeSparseDump(path, total);
  const fd = openSync(path, 'r+');
  try {
    // Find the Memory64List in the directory; its BaseRva is where the memory bytes start.
    const dir = readAt(fd, 32, 5 * 12);
    let base = 0;
    for (let i = 0; i < 5; i++)
      if (dir.readUInt32LE(i * 12) === 9)
        base = Number(readAt(fd, dir.readUInt32LE(i * 12 + 8) + 8, 8).readBigUInt64LE(0));
    let seed = 0x2545f491;
    const rnd = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    // Heap-like strings, and one string per text page naming the (made-up) user: module paths,
    // the environment block and open files hold the profile path a few thousand times in a game.
    const strings = [
      Buffer.from('Data\\meshes\\actors\\character\\character assets\\skeleton.nif\0', 'latin1'),
      Buffer.from('Data\\textures\\landscape\\mountains\\mountainslab01.dds\0', 'utf16le'),
      Buffer.from(
        '[Papyrus] Warning: Assigning None to a non-object property on script dunPatrolScript\n',
        'latin1',
      ),
    ];
    const personal = [
      Buffer.from('C:\\Users\\benchplayer\\AppData\\Local\\Skyrim Special Edition\\plugins.txt\0', 'utf16le'),
      Buffer.from('USERNAME=benchplayer\0COMPUTERNAME=BENCH-RIG-01\0', 'utf16le'),
    ];
    const page = Buffer.alloc(64 * 1024);
    const block = Buffer.alloc(8 * MB);
    let at = base;
    // The last range is the stack the synthetic thread uses: leave it as written.
    const end = d.size - 64 * 1024;
    while (at < end) {
      const n = Math.min(block.length, end - at);
      for (let o = 0; o < n; o += page.length) {
        const kind = rnd() % 100;
        if (kind < 35) page.fill(0);
        else if (kind < 80) for (let i = 0; i < page.length; i += 4) page.writeUInt32LE(rnd(), i);
        else {
          let p = 0;
          while (p < page.length) {
            const s = strings[rnd() % strings.length]!;
            const len = Math.min(s.length, page.length - p);
            s.copy(page, p, 0, len);
            p += len;
          }
          const pi = personal[rnd() % personal.length]!;
          pi.copy(page, (rnd() % ((page.length - pi.length) / 2)) * 2);
        }
        page.copy(block, o, 0, Math.min(page.length, n - o));
      }
      writeSync(fd, block, 0, n, at);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  readSync(fd, b, 0, len, pos);
  return b;
}

/** Repeats `unit` into a file of about `bytes`. */
function fill(path: string, unit: Buffer, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let n = 0; n < bytes; n += unit.length) writeSync(fd, unit);
  } finally {
    closeSync(fd);
  }
}

/**
 * The incident: the synthetic dump, a real crash log (the largest fixture, NetScriptFramework)
 * renamed to pair with it, and the big text files a SkyrimDiag folder really holds: a 10 MB
 * report (real crash-log text repeated), a 10 MB black-box JSONL and an 8 MB helper log.
 */
function buildIncident(dir: string): number {
  const sd = join(dir, 'Tullius Ctd Logs');
  mkdirSync(sd, { recursive: true });
  const stem = 'SkyrimDiag_Crash_20260412_213000_250';
  bigDump(join(sd, `${stem}.dmp`), 170 * MB);
  const log = readFileSync(real('crashlogs', 'skyrim-nsf-nolvus', 'Gravelord_-_Crash_2024_3_21.txt'));
  fill(join(sd, 'crash-2026-04-12-21-30-00.log'), log, log.length);
  fill(join(sd, `${stem}_SkyrimDiagReport.txt`), corpus(), 10 * MB);
  const jsonl = Array.from({ length: 64 }, (_, i) =>
    JSON.stringify({
      i,
      t_ms: i * 12.5,
      tid: 4242 + (i % 7),
      type: 60,
      type_name: 'ModuleLoad',
      a: '17240016942386561987',
      b: 0,
      c: 0,
      d: 0,
      detail: `mod_${i}.dll`,
    }),
  ).join('\n');
  fill(join(sd, `${stem}_SkyrimDiagBlackbox.jsonl`), Buffer.from(`${jsonl}\n`), 10 * MB);
  fill(
    join(sd, 'SkyrimDiagHelper.log'),
    Buffer.from(
      `${'hang check: heartbeat age 0.1 s, threshold 10 s, state flags 0x2 (Loading)\r\n'.repeat(20)}OutputDir: C:\\Users\\benchplayer\\MO2\\overwrite\\SKSE\\Plugins\\Tullius Ctd Logs\r\n`,
    ),
    8 * MB,
  );
  return readdirSync(sd).reduce((t, f) => t + statSync(join(sd, f)).size, 0);
}

async function childExport(dir: string): Promise<void> {
  const { createWorkbench } = await import('../src/main/workbench');
  const { bundleDeps } = await import('../src/main/features/bundle/handlers');
  const { writeBundle } = await import('../src/main/export/bundle-writer');
  const { importBundle } = await import('../src/main/export/bundle-reader');
  // The parent indexed the folder; this process only exports (its RSS is the export's).
  const wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'cli' });
  const item = wb.ctx.store.list({ offset: 0, limit: 10 }).items.find((i) => i.artifactCount >= 3)!;
  const incident = wb.ctx.store.get(item.id)!;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  // As on the player's machine: its account and host name are known before any file is read.
  const deps = { ...bundleDeps(wb.ctx), local: BENCH_LOCAL };
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await writeBundle(
    incident,
    { preset: 'public', includeEtl: false, stacksOnly: false },
    join(dir, 'bundle.zip'),
    deps,
  );
  const exportMs = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const exportCpuMs = (cu.user + cu.system) / 1000;
  const exportPeak = Math.max(peak, process.memoryUsage().rss);
  const t1 = performance.now();
  const imp = await importBundle(r.path, join(dir, 'imports'));
  const importMs = performance.now() - t1;
  clearInterval(timer);
  const input = r.manifest.files.filter((f) => f.treatment !== 'generated').reduce((t, f) => t + f.size, 0);
  process.stdout.write(
    `${JSON.stringify({
      inputBytes: input,
      files: r.manifest.files.length - 1,
      exportMs,
      exportCpuMs,
      zipBytes: r.size,
      replaced: r.manifest.redaction?.totalHits ?? 0,
      rssBefore,
      exportPeak,
      importMs,
      importedFiles: imp.manifest.files.length,
      maxRssKb: process.resourceUsage().maxRSS,
    })}\n`,
  );
  await wb.close();
}

/**
 * A ~10 MB zip bomb (synthetic: 16 MiB of zeros per entry, each entry small enough for a
 * per-file allowance), and the same bomb with lying headers: how long the import takes to refuse.
 */
async function zipBombs(dir: string): Promise<void> {
  const { deflateRawSync } = await import('node:zlib');
  const { importBundle } = await import('../src/main/export/bundle-reader');
  const { buildZip, manifestFor } = await import('../test/unit/export/zip-bytes');
  const zeros = deflateRawSync(Buffer.alloc(16 * MB));
  const n = Math.floor((10 * MB) / zeros.length);
  for (const lying of [false, true]) {
    const entries = Array.from({ length: n }, (_, i) => ({
      name: `part${i}.log`,
      compressed: zeros,
      declaredSize: lying ? 1000 : 16 * MB,
    }));
    // Honest headers are refused from the central directory, before bundle.json is read; lying
    // ones need a valid bundle.json (listing what the headers claim) to reach the inflating.
    const manifest = lying
      ? manifestFor(entries.map((e) => ({ name: e.name, data: Buffer.alloc(1000) })))
      : Buffer.from('{}');
    const zip = buildZip([...entries, { name: 'bundle.json', data: manifest }]);
    const path = join(dir, `bomb-${lying ? 'lying' : 'honest'}.zip`);
    writeFileSync(path, zip);
    const t0 = performance.now();
    const reason = await importBundle(path, join(dir, 'bomb-imports')).then(
      () => 'IMPORTED (bad)',
      (e: Error & { reason?: string }) => e.reason ?? e.message,
    );
    console.log(
      `zip bomb (${(zip.length / MB).toFixed(1)} MB zip, ${n} entries, ${((n * 16) / 1024).toFixed(1)} GB inflated, ${lying ? 'lying' : 'honest'} headers): refused in ${(performance.now() - t0).toFixed(0)} ms (${reason})   target well under 1 s`,
    );
  }
}

async function main(): Promise<void> {
  if (args[0] === '--child-export') return childExport(args[1]!);
  if (!fixturesAvailable()) {
    console.log('fixtures missing: set CTD_FIXTURES');
    return;
  }
  if (process.env.CTD_BENCH_ONLY_BOMB) {
    const d = mkdtempSync(join(process.env.CTD_BENCH_TMP ?? tmpdir(), 'ctd-bomb-'));
    try {
      await zipBombs(d);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
    return;
  }
  if (!process.env.CTD_BENCH_SKIP_TEXT) textThroughput();
  const dir = mkdtempSync(join(process.env.CTD_BENCH_TMP ?? tmpdir(), 'ctd-export-bench-'));
  try {
    const bytes = buildIncident(dir);
    const { createWorkbench } = await import('../src/main/workbench');
    const wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'cli' });
    await wb.ctx.sources.scan([join(dir, 'Tullius Ctd Logs')]);
    await wb.close();
    console.log(
      `incident: ${(bytes / MB).toFixed(1)} MB (synthetic 170 MB full-memory dump; a real crash log; 28 MB of report, black-box and helper-log text)`,
    );
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child-export', dir], {
      encoding: 'utf8',
      env: process.env,
    });
    if (r.status !== 0) throw new Error(r.stderr || r.stdout);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    console.log(
      `  export (public, redacted): ${(m.exportMs! / 1000).toFixed(2)} s wall, ${(m.exportCpuMs! / 1000).toFixed(2)} s cpu, for ${(m.inputBytes! / MB).toFixed(1)} MB in ${m.files} files -> ${(m.zipBytes! / MB).toFixed(1)} MB zip, ${m.replaced} values replaced   target < 5 s`,
    );
    console.log(
      `  peak RSS during export: ${(m.exportPeak! / MB).toFixed(1)} MB (process before export ${(m.rssBefore! / MB).toFixed(1)} MB; getrusage max ${(m.maxRssKb! / 1024).toFixed(1)} MB)   target < 200 MB`,
    );
    console.log(`  import of that bundle (verify + extract): ${(m.importMs! / 1000).toFixed(2)} s`);
    await zipBombs(dir);
  } finally {
    if (process.env.CTD_BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

void main();
