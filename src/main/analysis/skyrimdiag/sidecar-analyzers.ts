import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Finding } from '../../../shared/domain/finding';
import type { PluginScan } from '../../../shared/domain/skyrimdiag';
import { ParseError } from '../../formats/common/parse-error';
import { MAX_BLACKBOX_BYTES, parseBlackbox, recentModuleLoads } from '../../formats/skyrimdiag/blackbox';
import { parseExitEvidence } from '../../formats/skyrimdiag/exit-evidence';
import { MAX_PLUGIN_SCAN_BYTES, parsePluginScan } from '../../formats/skyrimdiag/plugin-scan';
import type { AnalyzerOutput, ArtifactAnalyzer } from '../artifact-analyzer';

/**
 * SkyrimDiag's side files next to a dump: the black box (what happened in-game before the
 * capture, and the main thread's id), the plugin scan (the active load order: missing masters,
 * 1.71 headers) and the exit evidence (the game exited after a fault). Their facts feed the
 * incident's answer (analysis/cause/merge.ts); the plugin scan also yields findings.
 */

function fromFile(
  parse: (buf: Buffer, path: string) => AnalyzerOutput,
  limit: number,
): ArtifactAnalyzer['analyze'] {
  return async (path) => {
    const buf = await readFile(path);
    if (buf.length > limit)
      throw new ParseError(`${basename(path)} is ${buf.length} bytes; the limit is ${limit}`, {
        file: path,
        code: 'too_large',
      });
    return parse(buf, path);
  };
}

/** Events kept in the index per black box (the whole ring is re-read from the file on demand). */
const KEEP_EVENTS = 40;

function blackboxOutput(buf: Buffer, path: string): AnalyzerOutput {
  const bb = parseBlackbox(buf, basename(path));
  const last = bb.events.slice(-KEEP_EVENTS);
  const crash = bb.events.findLast((e) => e.type === 100) ?? null;
  const menus = [...new Set(bb.events.filter((e) => e.type === 10 && e.detail).map((e) => e.detail!))];
  return {
    searchText: ['black box', ...menus.slice(0, 50), ...recentModuleLoads(bb, 8_000)].join(' '),
    merge: { sessionThreadId: bb.mainThreadId },
    facts: {
      blackbox: {
        mainThreadId: bb.mainThreadId,
        events: bb.events.length,
        firstMs: bb.events[0]?.tMs ?? null,
        lastMs: bb.events[bb.events.length - 1]?.tMs ?? null,
        firstChance: bb.events.filter((e) => e.type === 80).length,
        perfHitches: bb.events.filter((e) => e.type === 50).length,
        recentModules: recentModuleLoads(bb, 5_000),
        crash,
        last,
        incomplete: bb.incomplete,
        problems: bb.problems,
      },
    },
  };
}

const SOURCE = 'https://github.com/servaltullius/Tullius_ctd_loger';
const BEES = 'https://github.com/Nukem9/skyrimse-backported-esl-support';

/** "1.6.640.0" < "1.6.1130". */
function before1130(v: string | null): boolean {
  const p = (v ?? '').split('.').map((x) => Number.parseInt(x, 10));
  if (p.length < 3 || p.some((x) => !Number.isFinite(x))) return false;
  return p[0]! < 1 || (p[0] === 1 && (p[1]! < 6 || (p[1] === 6 && p[2]! < 1130)));
}

export function pluginScanFindings(scan: PluginScan): Finding[] {
  const out: Finding[] = [];
  if (scan.missingMasters.length) {
    const byMaster = new Map<string, string[]>();
    for (const m of scan.missingMasters)
      byMaster.set(m.master, [...(byMaster.get(m.master) ?? []), m.plugin]);
    out.push({
      id: 'skyrimdiag-missing-master',
      severity: 'critical',
      title: `Missing master${byMaster.size === 1 ? '' : 's'}: ${[...byMaster.keys()].slice(0, 3).join(', ')}`,
      explanation:
        'An active plugin needs a master file that is not in the active load order, so the game fails when it reads records that point into it (often right after the main menu or on load).',
      fix: `Install and enable ${[...byMaster.keys()].slice(0, 3).join(', ')}, or disable the plugins that need ${byMaster.size === 1 ? 'it' : 'them'}.`,
      link: SOURCE,
      evidence: [...byMaster]
        .slice(0, 12)
        .map(
          ([m, ps]) =>
            `${ps.slice(0, 3).join(', ')}${ps.length > 3 ? ` (+${ps.length - 3})` : ''} needs ${m}`,
        ),
    });
  }
  if (
    scan.header171.length &&
    before1130(scan.gameExeVersion) &&
    !scan.plugins.some((p) => /backportedeslsupport/i.test(p.filename))
  )
    out.push({
      id: 'skyrimdiag-header-171',
      severity: 'high',
      title: 'Plugins made for a newer game version',
      explanation: `${scan.header171.length} active plugin(s) have the 1.71 header of Skyrim 1.6.1130 and later, but the game is ${scan.gameExeVersion}; an older game can crash loading them.`,
      fix: 'Install Backported ESL Support (BEES) for this game version, or update the game.',
      link: BEES,
      evidence: scan.header171.slice(0, 12).map((p) => `${p} has header 1.71`),
    });
  return out;
}

function pluginScanOutput(buf: Buffer, path: string): AnalyzerOutput {
  const scan = parsePluginScan(buf, basename(path));
  const findings = pluginScanFindings(scan);
  return {
    // Never the headline on its own (0): its findings join the incident's verdict.
    priority: 0,
    ...(findings.length
      ? {
          verdict: {
            title: findings[0]!.title,
            analyzer: 'skyrimdiag-pluginscan',
            findings,
            suspects: scan.missingMasters.slice(0, 5).map((m) => ({
              name: m.plugin,
              score: 20,
              reason: `needs ${m.master}, which is not active`,
              role: 'plugin' as const,
              evidence: [{ direction: 'for' as const, text: `needs the missing master ${m.master}` }],
            })),
          },
        }
      : {}),
    searchText: scan.plugins.map((p) => p.filename).join(' '),
    facts: {
      pluginScan: {
        gameExeVersion: scan.gameExeVersion,
        pluginsSource: scan.pluginsSource,
        mo2Detected: scan.mo2Detected,
        error: scan.error,
        plugins: scan.plugins.length,
        light: scan.plugins.filter((p) => p.isEsl).length,
        missingMasters: scan.missingMasters,
        header171: scan.header171,
        problems: scan.problems,
      },
    },
  };
}

function evidenceOutput(buf: Buffer, path: string): AnalyzerOutput {
  const e = parseExitEvidence(buf, basename(path));
  const code = e.exceptionCode !== null ? `0x${e.exceptionCode.toString(16).toUpperCase()}` : 'an exception';
  return {
    searchText: [
      e.kind === 'clean-exit' ? 'clean exit evidence' : 'post-exit crash evidence',
      code,
      e.reason ?? '',
    ]
      .filter(Boolean)
      .join(' '),
    merge: { cleanExit: e.kind === 'clean-exit' },
    facts: { exitEvidence: e },
  };
}

export const blackboxAnalyzer: ArtifactAnalyzer = {
  name: 'skyrimdiag-blackbox',
  roles: ['blackbox'],
  analyze: fromFile(blackboxOutput, MAX_BLACKBOX_BYTES),
  analyzeBytes: (buf, path) => blackboxOutput(buf, path),
};

export const pluginScanAnalyzer: ArtifactAnalyzer = {
  name: 'skyrimdiag-pluginscan',
  roles: ['pluginscan'],
  analyze: fromFile(pluginScanOutput, MAX_PLUGIN_SCAN_BYTES),
  analyzeBytes: (buf, path) => pluginScanOutput(buf, path),
};

export const exitEvidenceAnalyzer: ArtifactAnalyzer = {
  name: 'skyrimdiag-evidence',
  roles: ['evidence'],
  analyze: fromFile(evidenceOutput, 1024 * 1024),
  analyzeBytes: (buf, path) => evidenceOutput(buf, path),
};
