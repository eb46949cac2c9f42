import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { ScanResult } from '../../../shared/contract/incidents';
import type { IncidentDetail, IncidentSummary } from '../../../shared/domain/incident';
import { describeModFile } from '../../../shared/domain/mod-label';
import { defaultDataDir } from '../../data-dir';
import { isCorruptError } from '../../store/integrity';
// The base: the schemas load with the workbench, which a no-change scan never opens.
import { indexFile, SqliteIncidentStore, StoreError } from '../../store/sqlite-store-base';
import { listingLine } from '../../store/listing-line';
import { digestFolder, unchangedScan, type ScanStateReader } from '../../sources/scan-state';
import { IndexProbe } from '../../store/index-probe';
import { ListingCacheWriter, listingKey, readCachedListing } from '../../store/listing-cache';
import { emptyScanResult } from '../../sources/scan-result';
import type { Workbench } from '../../workbench';
import type { IncidentStore } from '../../store/incident-store';
import { flagString, type ParsedArgs } from '../args';
import { BadInputError, EXIT, helpText, UsageError, type CliCommand, type CliIo } from '../types';
import { formatFindings } from '../format-findings';
import { optimizeOnlyWhatStaysHot } from '../v8-tuning';
import { formatIssues } from '../../../shared/zod-issues';

export const DB_FLAGS = ['db', 'data-dir'] as const;
/** The --db / --data-dir lines of every index command's help. */
export const DB_OPTIONS = [
  ['--db file', 'the index file (default: index.sqlite in the data folder)'],
  ['--data-dir dir', "the data folder (default: the app's, or $CTD_DATA_DIR)"],
] as const;

/** The CLI opens the same index the app uses unless --db / --data-dir / CTD_DATA_DIR say otherwise. */
function indexLocation(args: ParsedArgs, io: CliIo) {
  const db = flagString(args, 'db');
  const dataDir =
    flagString(args, 'data-dir') ??
    (db ? dirname(resolve(io.cwd, db)) : defaultDataDir(io.env as NodeJS.ProcessEnv));
  return {
    dataDir: resolve(io.cwd, dataDir),
    dbPath: db ? resolve(io.cwd, db) : undefined,
    // CTD_BUSY_TIMEOUT_MS: how long to wait for another process writing the index.
    busyTimeoutMs: Number(io.env.CTD_BUSY_TIMEOUT_MS) || undefined,
  };
}

/**
 * The workbench for a CLI command. Loaded on demand: it brings the analyzers, rules, setup and
 * export code, which a no-change `scan` never needs (issue 15).
 */
export async function openWorkbench(
  args: ParsedArgs,
  io: CliIo,
  store?: SqliteIncidentStore,
): Promise<Workbench> {
  const { createWorkbench } = await import('../../workbench');
  try {
    return await createWorkbench({ ...indexLocation(args, io), transport: 'cli', store });
  } catch (e) {
    if (e instanceof StoreError) throw new BadInputError(e.message);
    throw e;
  }
}

/** The index file openWorkbench would open. */
function indexLocationFile(args: ParsedArgs, io: CliIo): string {
  const { dataDir, dbPath } = indexLocation(args, io);
  return indexFile(dataDir, dbPath);
}

/** The index alone, opened where openWorkbench would open it (a scan's no-change check, `list`, `show`). */
function openStore(args: ParsedArgs, io: CliIo): SqliteIncidentStore {
  const { dataDir, dbPath, busyTimeoutMs } = indexLocation(args, io);
  try {
    return SqliteIncidentStore.open(indexFile(dataDir, dbPath), dataDir, { busyTimeoutMs });
  } catch (e) {
    if (e instanceof StoreError) throw new BadInputError(e.message);
    throw e;
  }
}

/**
 * The scan's result when no folder changed since a recorded scan (sources/scan-state.ts), found
 * with the index alone; null when a scan must run (then the workbench loads). A damaged index
 * also answers null: the scan meets the damage and recovers.
 */
async function unchangedFolders(
  store: ScanStateReader & { recoveredFrom?: string | null },
  folders: string[],
): Promise<ScanResult | null> {
  if (store.recoveredFrom) return null;
  const started = performance.now();
  const total = emptyScanResult();
  for (const folder of folders) {
    try {
      if (!(await stat(folder)).isDirectory()) return null;
    } catch {
      return null;
    }
    const { walk, errors } = await digestFolder(folder);
    try {
      if (!unchangedScan(store, folder, walk, errors, total)) return null;
    } catch (e) {
      if (isCorruptError(e)) return null;
      throw e;
    }
    total.scannedFolders.push(folder);
  }
  total.durationMs = performance.now() - started;
  return total;
}

/** An incident by id or unique id prefix; null when none matches, UsageError when several do. */
export function incidentByRef(
  store: Pick<IncidentStore, 'get' | 'incidentIdsByPrefix'>,
  ref: string,
): IncidentDetail | null {
  const d = store.get(ref);
  if (d) return d;
  const ids = store.incidentIdsByPrefix(ref, 2);
  if (ids.length > 1) throw new UsageError(`"${ref}" matches more than one incident; give more characters`);
  return ids.length === 1 ? store.get(ids[0]!) : null;
}

/** The indexed incidents of one scanned folder, newest first. */
export function incidentsInFolder(wb: Workbench, folder: string): IncidentSummary[] {
  return wb.ctx.store.incidentsInFolder(folder);
}

/** io.out in chunks of about 64 KiB (one write per line of a 100,000-line listing is slow). */
function bufferedOut(io: CliIo): ((text: string) => void) & { flush(): void } {
  let buf = '';
  const flush = () => {
    if (buf) io.out(buf);
    buf = '';
  };
  return Object.assign(
    (text: string) => {
      buf += text;
      if (buf.length >= 64 * 1024) flush();
    },
    { flush },
  );
}

/**
 * Writes `JSON.stringify({ ...head, [key]: [...items] }, null, 2)` and a newline, byte for byte,
 * without building the array or the document: each item is stringified on its own and indented
 * to its place (JSON strings hold no raw newline, so re-indenting lines is safe).
 */
export function writeJsonStream<T>(
  out: (text: string) => void,
  head: Record<string, unknown>,
  key: string,
  items: Iterable<T>,
): void {
  const open = JSON.stringify({ ...head, [key]: [] }, null, 2);
  // `{ ..., "key": [] }`: everything before the closing `[]\n}` is the prefix.
  const empty = `${JSON.stringify(key)}: []\n}`;
  if (!open.endsWith(empty)) throw new Error('writeJsonStream: unexpected layout');
  out(open.slice(0, -3));
  let n = 0;
  for (const item of items) {
    out(`${n++ === 0 ? '' : ','}\n    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`);
  }
  out(n === 0 ? ']\n}\n' : '\n  ]\n}\n');
}

/**
 * The scan, and once more on a fresh index when SQLite finds the index damaged on the way (as
 * the app's handlers do, store/integrity.ts): opening no longer reads every page, so damage
 * that left no trace on the file (a failing disk) can first show here.
 */
async function scanRecovering(wb: Workbench, folders: string[], io: CliIo): Promise<ScanResult> {
  try {
    return await wb.ctx.sources.scan(folders);
  } catch (e) {
    if (!isCorruptError(e)) throw e;
    const aside = wb.ctx.store.recover();
    io.err(`warning: the index was damaged (${(e as Error).message}); kept as ${aside} and rebuilt\n`);
    return wb.ctx.sources.scan(folders);
  }
}

export const scanCommand: CliCommand = {
  name: 'scan',
  usage: 'scan <folder...> [--json] [--db file] [--data-dir dir]',
  help: helpText({
    usage: 'scan <folder...> [--json] [--db file] [--data-dir dir]',
    about:
      'Finds the crash and hang files in the folders (SkyrimDiag, Crash Logger / Buffout 4 logs,\n' +
      'WER dumps, ETW traces, Papyrus logs), groups them into incidents and indexes them, as the\n' +
      'app does. Prints the incidents of those folders, newest first.',
    options: [['--json', 'print {scan, incidents} as one JSON document'], ...DB_OPTIONS],
    examples: [
      'ctd-workbench scan "%USERPROFILE%/Documents/My Games/Skyrim Special Edition/SKSE"',
      'ctd-workbench scan ./crashes --data-dir ./ci-index --json',
    ],
    exits: [' 0  scanned', ' 2  a folder is missing or unreadable, or the index cannot be opened'],
  }),
  valueFlags: DB_FLAGS,
  booleanFlags: ['json'],
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('scan needs at least one folder');
    const folders = args.positionals.map((p) => resolve(io.cwd, p));
    // Most scans find nothing changed: that is answered from a read-only look at the index,
    // which leaves the file as the last close recorded it (index-probe.ts).
    const probe = IndexProbe.open(indexLocationFile(args, io));
    if (probe) {
      try {
        const result = await unchangedFolders(probe, folders);
        if (result) return printScan(result, probe, folders, args, io);
      } finally {
        probe.close();
      }
    }
    const store = openStore(args, io);
    let wb = null as Workbench | null;
    const fullScan = async () => {
      // This process runs one scan and exits. V8 lets a heap grow to up to 4x what is live
      // before collecting; a cold scan allocates a lot that dies soon (analysis results), so
      // its peak RSS was mostly garbage. 1.2x keeps the peak near what the scan holds (issue
      // 15; measured at 5,000 incidents with 1.5x: main heap 120 -> 76 MiB, CPU unchanged; at
      // 100,000, 1.5x -> 1.2x: grouping's peak 294 -> 259 MiB RSS, CPU at 2,000 within noise).
      // Not for a no-change rescan: it holds little, and the extra collections were ~15% of it.
      setFlagsFromString('--heap-growing-percent=20');
      // Set before the analysis workers start, which share it.
      optimizeOnlyWhatStaysHot();
      wb = await openWorkbench(args, io, store);
      return scanRecovering(wb, folders, io);
    };
    try {
      // The probe already walked and found a change: straight to the scan.
      const result = (probe ? null : await unchangedFolders(store, folders)) ?? (await fullScan());
      return printScan(result, store, folders, args, io);
    } finally {
      if (wb) await wb.close();
      else store.close();
    }
  },
};

type ListedIndex = Pick<IndexProbe, 'path' | 'incidentsInFolders' | 'listingLinesInFolders' | 'listingStamp'>;

/**
 * The folders' listing lines: the last scan's, kept beside the index, while the index still
 * holds exactly that listing (listing-cache.ts); else streamed from the index and kept.
 */
function printListing(out: (text: string) => void, index: ListedIndex, folders: string[]): void {
  // The key first, then the listing: see listing-cache.ts for why this order.
  const key = listingKey((folder) => index.listingStamp(folder), folders);
  const kept = key === null ? null : readCachedListing(index.path, key);
  if (kept !== null) {
    out(kept);
    return;
  }
  const cache = key === null ? null : ListingCacheWriter.start(index.path, key);
  try {
    for (const text of index.listingLinesInFolders(folders)) {
      out(text);
      cache?.add(text);
    }
    cache?.commit();
  } catch (e) {
    cache?.abort();
    throw e;
  }
}

/** The scan's report: its counts, then the folders' incidents (printListing for the text form). */
function printScan(
  result: ScanResult,
  index: ListedIndex,
  folders: string[],
  args: ParsedArgs,
  io: CliIo,
): number {
  const badRoots = result.errors.filter((e) => folders.includes(e.path));
  // Rows stream from the index: a scan of 100,000 incidents never holds them as objects. A kept
  // text listing is the one thing read whole (about 150 bytes per incident).
  const out = bufferedOut(io);
  if (args.flags.json) writeJsonStream(out, { scan: result }, 'incidents', index.incidentsInFolders(folders));
  else {
    out(
      `${result.incidents} incidents in ${folders.length} folder(s): ${result.added} new, ${result.updated} updated, ${result.removed} removed, ${result.filesRead} files read, ${Math.round(result.durationMs)} ms\n`,
    );
    printListing(out, index, folders);
  }
  out.flush();
  if (!args.flags.json) for (const e of result.errors) io.err(`warning: ${e.message}\n`);
  return badRoots.length > 0 ? EXIT.badInput : EXIT.ok;
}

export const listCommand: CliCommand = {
  name: 'list',
  usage:
    'list [--search text] [--kind k] [--source s] [--status s] [--game g] [--limit n] [--json] [--db file]',
  help: helpText({
    usage:
      'list [--search text] [--kind k] [--source s] [--status s] [--game g] [--limit n] [--json] [--db file]',
    about: "Lists the incidents of the index, newest first, as the app's list does.",
    options: [
      ['--search text', 'full-text search (modules, plugins, exceptions, "quoted phrases")'],
      ['--kind k', 'crash, hang, manual or unknown'],
      ['--source s', 'skyrimdiag, crashlogger, wer, bundle or capture'],
      ['--status s', 'new, seen, fixed or ignored'],
      ['--game g', 'skyrim or fallout4'],
      ['--limit n', 'at most n incidents (default 500)'],
      ['--json', 'print {total, items} as one JSON document'],
      ...DB_OPTIONS,
    ],
    examples: [
      'ctd-workbench list --kind hang',
      'ctd-workbench list --search "EngineFixes.dll" --limit 20 --json',
    ],
    exits: [' 0  listed (also when nothing matched)', ' 2  the index cannot be opened'],
  }),
  valueFlags: [...DB_FLAGS, 'search', 'kind', 'source', 'status', 'game', 'limit'],
  booleanFlags: ['json'],
  async run(args, io) {
    // The flags first: a usage error neither opens nor makes an index.
    const limit = Number(flagString(args, 'limit') ?? 500);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
    const req = {
      search: flagString(args, 'search'),
      kind: flagString(args, 'kind'),
      source: flagString(args, 'source'),
      status: flagString(args, 'status'),
      game: flagString(args, 'game'),
      offset: 0,
      limit,
    };
    const parsed = (await import('../../../shared/contract/incidents')).ListQuery.safeParse(req);
    if (!parsed.success) throw new UsageError(formatIssues(parsed.error, { prefix: '--' }));
    // The index alone: listing needs no analyzer, rule, setup or export code (issue 15).
    const store = openStore(args, io);
    try {
      const res = store.list(parsed.data);
      if (args.flags.json) io.out(`${JSON.stringify(res, null, 2)}\n`);
      else {
        for (const i of res.items) io.out(`${listingLine(i)}\n`);
        io.out(`${res.items.length} of ${res.total} incidents\n`);
      }
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

export const showCommand: CliCommand = {
  name: 'show',
  usage: 'show <incident id or unique prefix> [--json] [--db file]',
  help: helpText({
    usage: 'show <incident id or unique prefix> [--json] [--db file]',
    about: 'Shows one indexed incident: verdict, suspects, known issues and its files.',
    options: [['--json', 'print the incident as one JSON document'], ...DB_OPTIONS],
    examples: ['ctd-workbench show 3f9a2c', 'ctd-workbench show 3f9a2c41d0e7 --json'],
    exits: [' 0  shown', ' 2  no such incident, or the index cannot be opened'],
  }),
  valueFlags: DB_FLAGS,
  booleanFlags: ['json'],
  async run(args, io) {
    const ref = args.positionals[0];
    if (!ref) throw new UsageError('show needs an incident id');
    // The index alone (issue 15): an incident's verdict is read through the store's zod readers,
    // which importing sqlite-store installs; no analyzer, rule, setup or export code.
    await import('../../store/sqlite-store');
    const store = openStore(args, io);
    try {
      const d = incidentByRef(store, ref);
      if (!d) throw new BadInputError(`No incident "${ref}" in the index (run scan first?)`);
      const cause = d.verdict?.probableCause ?? null;
      if (args.flags.json)
        io.out(
          `${JSON.stringify(
            {
              ...d,
              // The answer first, for scripts: subject, confidence, evidence, next step.
              probableCause: cause,
              incomplete: d.verdict?.incomplete ?? false,
              missing: d.verdict?.missing ?? [],
            },
            null,
            2,
          )}\n`,
        );
      else {
        if (cause) io.out(`${cause.headline}\n`);
        if (d.verdict?.missing.length) io.out(`incomplete: no ${d.verdict.missing.join('; no ')}\n`);
        io.out(`${d.title}\n${d.kind} · ${d.source} · ${d.capturedAt.replace('T', ' ')} · ${d.status}\n`);
        if (d.signature) io.out(`signature: ${d.signature}\n`);
        if (d.verdict?.suspects.length) {
          io.out('suspects:\n');
          for (const s of d.verdict.suspects.slice(0, 5))
            io.out(
              `  ${s.mod ? describeModFile(s.name, s.mod) : s.name} (${s.role ?? 'unknown'}, ${s.score}): ${s.reason}\n`,
            );
        }
        if (d.verdict) io.out(`${formatFindings(d.verdict.findings).join('\n')}\n`);
        io.out('files:\n');
        for (const a of d.artifacts)
          io.out(
            `  ${a.role.padEnd(10)} ${a.name}  ${a.size} bytes  ${a.parseStatus}${a.parseError ? `: ${a.parseError}` : ''}\n`,
          );
      }
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
