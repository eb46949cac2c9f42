import type { ExitEvidence } from '../../../shared/domain/skyrimdiag';
import { ParseError } from '../common/parse-error';
import { bool, int, num, readJsonObject, str, u64 } from './json';

/**
 * `SkyrimDiag_CleanExitEvidence_*.json` (a real-looking fault, then the game exited with code 0,
 * so the crash files were removed) and `SkyrimDiag_PostExitCrashEvidence_*.json` (a crash was
 * recorded but the process was gone before a dump): skyrimdiag-artifacts.md §12.
 */

const MAX_BYTES = 1024 * 1024;

/** "0xC0000005", 3221225477 or "3221225477" → the code as a number. */
function code(v: unknown): number | null {
  const n = int(v);
  if (n !== null) return n >>> 0;
  const s = str(v, 32);
  if (!s) return null;
  const x = /^0x[0-9a-f]{1,8}$/i.test(s) ? Number.parseInt(s, 16) : /^\d{1,10}$/.test(s) ? Number(s) : NaN;
  return Number.isFinite(x) && x <= 0xffffffff ? x : null;
}

function address(v: unknown): string | null {
  const s = str(v, 40);
  if (s && /^0x[0-9a-f]{1,16}$/i.test(s)) return s.toLowerCase();
  const d = u64(v);
  return d !== null ? `0x${BigInt(d).toString(16)}` : null;
}

export function parseExitEvidence(input: Buffer | string, file = 'evidence.json'): ExitEvidence {
  const o = readJsonObject(input, file, MAX_BYTES, 'evidence file');
  const schema = str(o.schema, 128);
  const post = /post_exit/i.test(schema ?? '') || /PostExitCrashEvidence/i.test(file);
  if (!schema && !/(CleanExit|PostExitCrash)Evidence/i.test(file) && o.exception_code === undefined)
    throw new ParseError('not a SkyrimDiag exit-evidence file', { file, field: 'schema', code: 'bad_field' });
  const seq = u64(o.crash_seq);
  return {
    kind: post ? 'post-exit' : 'clean-exit',
    schema,
    dumpState: str(o.dump_state, 64),
    reason: str(o.reason, 1024),
    capturedAt: str(o.captured_at, 64),
    exceptionCode: code(o.exception_code),
    exceptionAddress: address(o.exception_addr),
    faultingTid: int(o.faulting_tid),
    crashSeq: seq,
    inMenu: bool(o.in_menu),
    dumpFilename: str(o.dump_filename, 260),
    exitCode: num(o.exit_code),
    note: str(o.note, 2048),
  };
}
