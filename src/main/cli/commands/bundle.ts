import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IncidentDetail } from '../../../shared/domain/incident';
import { BundleImportError } from '../../export/bundle-reader';
import { bundleDeps, importAndIndex } from '../../features/bundle/handlers';
import { ExportCancelled, NothingToExportError, writeBundle } from '../../export/bundle-writer';
import type { Workbench } from '../../workbench';
import { flagString } from '../args';
import { BadInputError, EXIT, helpText, UsageError, type CliCommand } from '../types';
import { DB_FLAGS, DB_OPTIONS, incidentByRef, incidentsInFolder, openWorkbench } from './incidents';

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** An incident id (or unique prefix), or a folder: scanned, and its newest incident taken. */
async function resolveIncident(
  wb: Workbench,
  ref: string,
  cwd: string,
  note: (s: string) => void,
): Promise<IncidentDetail> {
  const folder = resolve(cwd, ref);
  if (isFolder(folder)) {
    await wb.ctx.sources.scan([folder]);
    const items = incidentsInFolder(wb, folder);
    if (items.length === 0) throw new BadInputError(`No incident found in ${folder}`);
    if (items.length > 1)
      note(`${items.length} incidents in ${folder}; exporting the newest (${items[0]!.id}).`);
    return wb.ctx.store.get(items[0]!.id)!;
  }
  const d = incidentByRef(wb.ctx.store, ref);
  if (!d) throw new BadInputError(`No incident "${ref}" in the index, and no such folder (run scan first?)`);
  return d;
}

/** `export`: a bundle from the command line, redacted unless --private. */
export const exportCommand: CliCommand = {
  name: 'export',
  usage:
    'export <incident id | folder> --out file.zip [--private] [--stacks-only] [--include-etl] [--json] [--db file]',
  help: helpText({
    usage:
      'export <incident id | folder> --out file.zip [--private] [--stacks-only] [--include-etl] [--json] [--db file]',
    about:
      "Writes one .zip with the incident's files, report.md and bundle.json (every file with its\n" +
      'SHA-256). Redacted by default: user and machine names, profile paths, account ids, e-mail,\n' +
      'IPs and secrets are replaced, dumps sanitized. A folder is scanned and its newest incident taken.',
    options: [
      ['--out file.zip', 'the bundle to write'],
      ['--private', 'copy the files as they are (no redaction): only for people you trust'],
      ['--stacks-only', 'sanitized dumps keep thread stacks only (smaller)'],
      ['--include-etl', 'include ETL traces (they cannot be redacted yet)'],
      ['--json', 'print the result as one JSON document'],
      ...DB_OPTIONS,
    ],
    examples: [
      'ctd-workbench export 3f9a2c --out crash.zip',
      'ctd-workbench export "./Tullius Ctd Logs" --out newest.zip --stacks-only',
    ],
    exits: [' 0  written', ' 2  no such incident or folder, or the files cannot be read'],
  }),
  valueFlags: ['out', ...DB_FLAGS],
  booleanFlags: ['json', 'private', 'stacks-only', 'include-etl'],
  async run(args, io) {
    const ref = args.positionals[0];
    const out = flagString(args, 'out');
    if (!ref) throw new UsageError('export needs an incident id or a folder');
    if (!out) throw new UsageError('export needs --out file.zip');
    if (!/\.zip$/i.test(out)) throw new UsageError('--out must end in .zip');
    const json = args.flags.json === true;
    const wb = await openWorkbench(args, io);
    try {
      const incident = await resolveIncident(wb, ref, io.cwd, (s) => io.err(`${s}\n`));
      const preset = args.flags.private === true ? 'private' : 'public';
      const started = performance.now();
      // Ctrl+C / a kill: stop, and take the hidden .partial file away (a crash leaves it to the next run).
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let r: Awaited<ReturnType<typeof writeBundle>>;
      try {
        r = await writeBundle(
          incident,
          {
            preset,
            includeEtl: args.flags['include-etl'] === true,
            stacksOnly: args.flags['stacks-only'] === true,
          },
          resolve(io.cwd, out),
          bundleDeps(wb.ctx),
          { signal: ac.signal },
        );
      } catch (e) {
        if (e instanceof NothingToExportError || e instanceof ExportCancelled)
          throw new BadInputError(e.message);
        throw e;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      const ms = Math.round(performance.now() - started);
      if (json)
        io.out(
          `${JSON.stringify({ incidentId: incident.id, path: r.path, size: r.size, sha256: r.sha256, durationMs: ms, manifest: r.manifest }, null, 2)}\n`,
        );
      else {
        io.out(
          `Wrote ${r.path} (${r.size} bytes, ${ms} ms): ${r.manifest.files.length + 1} entries (with report.md and bundle.json), ${preset}\n`,
        );
        if (r.manifest.redaction) {
          io.out(`${r.manifest.redaction.totalHits} values replaced\n`);
          for (const rule of r.manifest.redaction.rules)
            io.out(`  ${String(rule.hits).padStart(6)}  ${rule.id}\n`);
        }
        for (const e of r.manifest.excluded) io.out(`left out: ${e.name} (${e.reason})\n`);
        for (const w of r.manifest.warnings) io.err(`warning: ${w}\n`);
      }
      return EXIT.ok;
    } finally {
      await wb.close();
    }
  },
};

/** `import`: verify a bundle, extract it into the imports folder and index it. */
export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import <bundle.zip> [--json] [--db file] [--data-dir dir]',
  help: helpText({
    usage: 'import <bundle.zip> [--json] [--db file] [--data-dir dir]',
    about:
      'Checks a bundle (every file against its SHA-256; zip slips, links and zip bombs are refused),\n' +
      'extracts it under <data folder>/bundles/ and indexes it as an incident of source "bundle".',
    options: [['--json', 'print the result as one JSON document'], ...DB_OPTIONS],
    examples: ['ctd-workbench import ctd-bundle-crash-20260318-200000-public.zip'],
    exits: [' 0  imported (or already there)', ' 2  missing file, or a bundle refused as unsafe or altered'],
  }),
  valueFlags: DB_FLAGS,
  booleanFlags: ['json'],
  async run(args, io) {
    const path = args.positionals[0];
    if (!path) throw new UsageError('import needs a bundle .zip');
    const json = args.flags.json === true;
    const wb = await openWorkbench(args, io);
    try {
      const r = await importAndIndex(wb.ctx, resolve(io.cwd, path));
      if (json) io.out(`${JSON.stringify(r, null, 2)}\n`);
      else {
        io.out(
          `${r.alreadyImported ? 'Already imported' : 'Imported'} ${r.files} files into ${r.dir}\nincident: ${r.incidentId ?? '(not indexed)'}  ${r.manifest.incident.title}\n`,
        );
        if (r.manifest.redaction)
          io.out(`redaction: ${r.manifest.redaction.totalHits} values were replaced\n`);
        for (const w of r.warnings) io.err(`warning: ${w}\n`);
      }
      return EXIT.ok;
    } catch (e) {
      if (e instanceof BundleImportError) {
        if (json) io.out(`${JSON.stringify({ error: { reason: e.reason, message: e.message } })}\n`);
        else io.err(`error: ${e.message}\n`);
        return EXIT.badInput;
      }
      throw e;
    } finally {
      await wb.close();
    }
  },
};
