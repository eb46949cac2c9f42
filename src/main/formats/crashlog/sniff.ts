import type { CrashLogger } from '../../../shared/domain/crashlog';
import { normalizeVersion } from './common';

export interface LoggerHeader {
  logger: CrashLogger;
  version: string | null;
  /** The header line as written. */
  line: string | null;
  /** 0-based line index of that header line. */
  index: number;
}

const HEADERS: { re: RegExp; logger: CrashLogger }[] = [
  { re: /^\s*Buffout\s*4(?:\s+NG|\s+VR)?\s+v(\S+)/i, logger: 'buffout4' },
  { re: /^\s*CrashLogger\w*\s+v(\S+)/i, logger: 'crashlogger' },
  { re: /^\s*Crash\s*Logger(?:\s+(?:SSE|AE|VR))*\s+v(\S+)/i, logger: 'crashlogger' },
  { re: /^\s*Trainwreck\s+v(\S+)/i, logger: 'trainwreck' },
  // Addictol (Fallout 4) writes Crash Logger's layout under its own name.
  { re: /^\s*Addictol(?:\s+Crash\s*Logger)?\s+v(\S+)/i, logger: 'crashlogger' },
];

/**
 * Which logger wrote a log, from its first lines. The section families differ (Crash Logger,
 * Buffout 4 and Trainwreck print "SECTION:" headers; NSF prints "Section" + braces), so this
 * decides the grammar. A mocked or edited first line is tolerated: the first 40 lines count.
 */
export function sniffLogger(lines: readonly string[]): LoggerHeader {
  const n = Math.min(lines.length, 40);
  for (let i = 0; i < n; i++) {
    const line = (lines[i] ?? '').slice(0, 512);
    for (const h of HEADERS) {
      const m = h.re.exec(line);
      if (m) return { logger: h.logger, version: normalizeVersion(m[1] ?? ''), line: line.trim(), index: i };
    }
  }
  for (let i = 0; i < n; i++) {
    const line = (lines[i] ?? '').slice(0, 512);
    if (
      /^\s*FrameworkName:\s*NetScriptFramework/i.test(line) ||
      /Unhandled native exception occurred/i.test(line)
    )
      return { logger: 'netscriptframework', version: null, line: null, index: i };
  }
  // A Trainwreck log whose header was edited still names itself somewhere near the top.
  const sectioned = lines.slice(0, 2000).some((l) => l.startsWith('PROBABLE CALL STACK:'));
  for (let i = 0; i < n && sectioned; i++) {
    if (/\btrainwreck\b/i.test((lines[i] ?? '').slice(0, 512)))
      return { logger: 'trainwreck', version: null, line: null, index: i };
  }
  return { logger: 'unknown', version: null, line: null, index: -1 };
}

/**
 * "Fallout 4 v1.10.163", "Skyrim SSE v1.6.1170", "SkyrimSE v1.6.1170", "Skyrim VR v1.4.15";
 * `index` is the 0-based line it was read from.
 */
export function sniffGame(lines: readonly string[]): { game: string; version: string; index: number } | null {
  const n = Math.min(lines.length, 40);
  for (let i = 0; i < n; i++) {
    const m =
      /^\s*((?:Fallout\s*4|Skyrim)(?:\s*(?:SSE|SE|AE|VR|Special Edition|Anniversary Edition))?)\s+v(\d+(?:\.\d+){1,3})\b/i.exec(
        (lines[i] ?? '').slice(0, 256),
      );
    if (m) return { game: (m[1] ?? '').replace(/^SkyrimSE$/i, 'Skyrim SE'), version: m[2] ?? '', index: i };
  }
  return null;
}
