import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/main/formats/common/text-encoding';
import { splitLines } from '../../../src/main/formats/crashlog/common';
import { parseCrashLog } from '../../../src/main/formats/crashlog/parse-crashlog';
import { sniffLogger } from '../../../src/main/formats/crashlog/sniff';
import { sniffLogHead } from '../../../src/main/sources/crashlog-names';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * The scan's head sniff (sources/crashlog-names.ts) and the parser's logger sniff
 * (formats/crashlog/sniff.ts) must agree: the scan files a text as a crash log exactly when the
 * parser knows its logger, and then it parses. A file whose header names no logger is passed
 * over by the scan; the parser, handed it directly (CLI analyze), may still read the body and
 * says so with an 'unknown_logger' problem.
 */
function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return textFiles(p);
    return /\.(log|txt)$/i.test(n) ? [p] : [];
  });
}

/** What the scan decides, and what the parser makes of the same bytes. */
function verdicts(name: string, bytes: Buffer) {
  const head = decodeText(bytes.subarray(0, 64 * 1024)).text;
  const scan = sniffLogHead(name, head);
  const logger = sniffLogger(splitLines(head)).logger;
  let parsed: string | null;
  try {
    const p = parseCrashLog(bytes, name);
    // Read through the parser's unknown-logger fallback: not a log the scan should file.
    parsed = p.problems.some((x) => x.code === 'unknown_logger') ? null : p.logger;
  } catch {
    parsed = null;
  }
  return { scan, logger, parsed };
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('crash-log sniffers agree', () => {
  it('on every real text fixture (crash logs of four loggers, and other text files)', () => {
    const files = textFiles(real());
    let logs = 0;
    for (const f of files) {
      const { scan, logger, parsed } = verdicts(basename(f), readFileSync(f));
      if (scan === 'papyrus') continue;
      expect(scan === null, f).toBe(logger === 'unknown');
      expect(parsed, f).toBe(scan === null ? null : logger);
      if (scan) logs++;
    }
    expect(logs).toBeGreaterThanOrEqual(20);
  });

  // SYNTHETIC edits of real logs, where the scan's old regexes and the parser's sniff disagreed.
  const variants: [string, string, string, (t: string) => string][] = [
    [
      'buffout4-fo4',
      'crash-2023-12-21-07-54-46.log',
      'Buffout 4 NG header, no game line above it',
      (t) => t.replace(/^Fallout 4 v[\d.]+\r?\n/, '').replace('Buffout 4 v', 'Buffout 4 NG v'),
    ],
    [
      'skyrim-mocked',
      'TestLogTrainwreck1.txt',
      'Trainwreck, version edited out of the header',
      (t) => t.replace(/trainwreck v[\d.]+/i, 'trainwreck (edited)'),
    ],
    [
      'buffout4-fo4',
      'crash-2023-12-21-07-54-46.log',
      'no logger header at all',
      (t) => t.replace(/^.*Buffout 4 v.*$/m, 'nothing here'),
    ],
  ];
  it('on an SKSE-style plugin log that names CrashLogger and an unhandled-exception filter', () => {
    const text = [
      'SKSE64 runtime: initialize (version = 2.2.6 01060BF0 01DA9A0A5E1C8F2E, os = 6.2 (9200))',
      'plugin CrashLoggerSSE.dll (00000001 CrashLoggerSSE 010E0100) loaded correctly',
      'CrashLoggerSSE: Unhandled exception filter installed',
      'init complete',
    ].join('\r\n');
    const { scan, logger, parsed } = verdicts('skse64.log', Buffer.from(text));
    expect({ scan, logger, parsed }).toEqual({ scan: null, logger: 'unknown', parsed: null });
  });
  for (const [dir, file, label, edit] of variants)
    it(`on a real log with its header changed: ${label}`, () => {
      const text = edit(readFileSync(real('crashlogs', dir, file), 'utf8'));
      const { scan, logger, parsed } = verdicts(file, Buffer.from(text));
      expect(scan === null).toBe(logger === 'unknown');
      expect(parsed).toBe(scan === null ? null : logger);
    });
});
