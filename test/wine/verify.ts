// Linux side of the Wine test: reads what node.exe + the addon produced under Wine with the
// project's own parsers (minidump reader, WCT parser, hang analysis) and writes the totals
// `{ passed, failed, checks }` to $WINE_RESULTS for scripts/test-all.mjs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileSource } from '../../src/main/formats/common/byte-source';
import { readMinidump, type Minidump } from '../../src/main/formats/minidump/reader';
import { readWctFile } from '../../src/main/formats/wct/parse-wct';
import { analyzeHang } from '../../src/main/analysis/hang/analyze-hang';
import { dumpFlags } from '../../src/main/capture/dump-profile';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const inWineResults = process.argv[2] ?? '';
const outDirLinux = process.argv[3] ?? '';
const totalsPath = process.argv[4] ?? '';
if (!inWineResults || !outDirLinux || !totalsPath)
  throw new Error('usage: verify.ts <in-wine.json> <outDir> <totals.json>');

const checks: Check[] = [];
const check = (name: string, ok: boolean, detail: unknown): void => {
  checks.push({
    name: `linux: ${name}`,
    ok,
    detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
  });
};

/** Wine maps Z: to /; the in-Wine script reports Windows paths. */
const toLinux = (p: string): string => (/^[zZ]:\\/.test(p) ? p.slice(2).replace(/\\/g, '/') : p);

function dump(path: string): Minidump | null {
  try {
    return withFileSource(path, (src) => readMinidump(src));
  } catch (e) {
    check(`minidump reader parses ${path}`, false, (e as Error).message);
    return null;
  }
}

interface InWine {
  checks?: Check[];
  done?: boolean;
  targetPid?: number;
  wctStubTids?: number[];
  capture?: { files: { dump: string | null; wct: string | null; manifest: string | null } };
}

let wine: InWine = {};
try {
  wine = JSON.parse(readFileSync(inWineResults, 'utf8')) as InWine;
} catch (e) {
  check('in-Wine results file readable', false, (e as Error).message);
}
for (const c of wine.checks ?? []) checks.push({ ...c, name: `wine: ${c.name}` });
check('in-Wine script ran to the end', wine.done === true, wine.done ?? 'no done flag');

// 1. The direct small dump with a user stream.
const direct = join(outDirLinux, 'direct_small.dmp');
if (existsSync(direct)) {
  const md = dump(direct);
  if (md) {
    check('direct dump: header, threads, modules', md.threads.length > 0 && md.modules.length > 0, {
      threads: md.threads.length,
      modules: md.modules.length,
      problems: md.problems,
    });
    check(
      'direct dump: modules include ping.exe and ntdll',
      md.modules.some((m) => /ping\.exe$/i.test(m.name)) &&
        md.modules.some((m) => /ntdll\.dll$/i.test(m.name)),
      md.modules.map((m) => m.name.split('\\').pop()),
    );
    check('direct dump: system info is amd64 Windows', md.system?.arch === 9, md.system ?? null);
    const us = md.streams.find((s) => s.type === 0x15743);
    let payload = '';
    if (us)
      payload = withFileSource(direct, (src) => src.read(us.offset, us.size, 'user stream').toString('utf8'));
    check(
      'direct dump: user stream 0x15743 carries the bytes we passed',
      payload.includes('"hello":"user stream"') && payload.includes(`"pid":${wine.targetPid}`),
      payload || 'missing',
    );
  }
} else check('direct dump exists', false, direct);

// 2. The orchestrator's files.
const files = wine.capture?.files;
if (files?.dump && files.manifest && files.wct) {
  const dumpPath = toLinux(files.dump);
  const md = dump(dumpPath);
  if (md) {
    // Wine's dbghelp records the requested MINIDUMP_TYPE in the header but does not write the
    // ThreadInfo/HandleData streams; the flag word is what can be checked here.
    const want = BigInt(dumpFlags('default'));
    check('capture dump: header flags are the default profile (0x3024)', md.flags === want, {
      flags: `0x${md.flags.toString(16)}`,
      streams: md.streams.map((s) => s.name),
    });
    check('capture dump: no problems', md.problems.length === 0, md.problems);
  }
  const manifest = JSON.parse(readFileSync(toLinux(files.manifest), 'utf8')) as {
    schema: unknown;
    capture_kind: string;
    artifacts: Record<string, string>;
    pid: number;
  };
  check(
    'manifest: SkyrimDiagIncident v1, manual, names the dump and WCT, etw start_failed',
    JSON.stringify(manifest.schema) === '{"name":"SkyrimDiagIncident","version":1}' &&
      manifest.capture_kind === 'manual' &&
      manifest.artifacts.dump === dumpPath.split('/').pop() &&
      manifest.artifacts.wct === toLinux(files.wct).split('/').pop() &&
      manifest.artifacts.etw_status === 'start_failed' &&
      manifest.pid === wine.targetPid,
    manifest.artifacts,
  );
  try {
    const doc = readWctFile(toLinux(files.wct));
    const hang = analyzeHang(doc);
    check(
      'WCT file: capture_failed form (ERROR_NOT_SUPPORTED) parsed, hang verdict produced',
      doc.captureFailed && doc.producer === 'ctd-workbench' && hang.verdict.length > 0,
      { error: doc.error, verdict: hang.verdict },
    );
  } catch (e) {
    check('WCT file parses', false, (e as Error).message);
  }
} else check('orchestrator produced dump, manifest and WCT', false, files ?? null);

// 3. Chains from the WCT test build, through our WCT parser and hang analysis.
const stubFile = join(outDirLinux, 'wct-stub.json');
if (existsSync(stubFile)) {
  const doc = readWctFile(stubFile);
  const hang = analyzeHang(doc);
  const [a, b] = wine.wctStubTids ?? [];
  check(
    'stub WCT file: deadlock between the first two real threads found, main thread from creation time',
    hang.cycles.some((c) => !c.incomplete && c.tids.includes(a ?? -1) && c.tids.includes(b ?? -1)) &&
      doc.mainThreadId !== null &&
      doc.cycleConsensus === true,
    { cycles: hang.cycles, main: doc.mainThreadId, verdict: hang.verdict },
  );
  check(
    'stub WCT file: mutex name survives UTF-16 -> UTF-8 -> JSON',
    hang.threads.some((t) => t.chain.some((s) => s.kind === 'object' && s.name === 'Global\\CtdT\u00ebst')),
    hang.threads.map((t) =>
      t.chain.filter((s) => s.kind === 'object').map((s) => s.kind === 'object' && s.name),
    ),
  );
} else check('stub WCT file written under Wine', false, stubFile);

const passed = checks.filter((c) => c.ok).length;
const failed = checks.length - passed;
writeFileSync(totalsPath, JSON.stringify({ passed, failed, checks }, null, 2));
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
console.log(`wine: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
