import { EXCEPTION_NAMES } from '../../formats/common/exception-codes';
import { baseName, isVictimModule } from './victims';

/**
 * Level one of the two-level signature (docs/SIGNATURES.md): the stable bucket. One scheme for
 * minidumps, crash logs and hangs:
 *
 *   <exception class> | <frame> | <frame> | <frame>
 *
 * The frames are the first frames of the crashing stack that are not victims (game exe,
 * Windows, runtimes: victims.ts), written `module+0xoffset` (lower-case file name, offset from
 * the module's base), so load addresses and user paths never enter a key. Only frames a walker
 * recovered from the thread context, unwind data (CFI) or frame pointers count; frames found by
 * scanning the stack for things that look like return addresses are junk often enough that a
 * bucket never holds one. A stack of victims only keeps its top three trusted frames instead.
 */

/** How a walker found a frame. Only the first four may enter a bucket. */
export type FrameOrigin =
  | 'context'
  | 'cfi'
  | 'frame_pointer'
  /** A crash logger's unwound ("probable") frame. */
  | 'unwound'
  | 'scan'
  | 'cfi_scan'
  | 'leaf'
  | 'unknown';

const TRUSTED: ReadonlySet<string> = new Set(['context', 'cfi', 'frame_pointer', 'unwound']);

export function isTrustedOrigin(origin: string): boolean {
  return TRUSTED.has(origin);
}

export interface BucketFrame {
  /** Module file name or path (only the file name is used). */
  module: string | null;
  /** Offset from the module's base. */
  offset: bigint | number | null;
  symbol: string | null;
  origin: FrameOrigin | string;
}

export interface BucketInput {
  exceptionCode?: number | null;
  exceptionName?: string | null;
  /** Hangs: the wait shape of the main thread and any deadlock, from the wait chains. */
  hang?: { waitShape: string } | null;
  /** The crashing (or main) thread's frames, innermost first. */
  frames: readonly BucketFrame[];
  /** Where the exception happened, for inputs without a usable stack (a cut crash log). */
  fault?: BucketFrame | null;
  /**
   * True when each frame was recovered from the one before it (a stack walk): the first
   * untrusted frame ends the usable stack, since every frame walked from a scanned one is as
   * doubtful as it. False when the input marks frames independently (Crash Logger's [P]/[S]).
   */
  chain?: boolean;
}

export interface Bucket {
  key: string;
  /** "EXCEPTION_ACCESS_VIOLATION in SmartHarvestSE.dll+0x1a2b0". */
  title: string;
  /** The frame parts of the key, in order. */
  frames: string[];
  /** True when the stack held no frame outside the game and the OS. */
  victimsOnly: boolean;
}

/** Frames per bucket: enough to tell call paths apart, few enough not to split one bug. */
export const BUCKET_FRAMES = 3;
/**
 * How deep a non-victim frame may sit and still name the bucket. A mod frame far under the
 * fault is usually a main-loop hook (a camera or UI mod called every frame), not the code that
 * crashed: two unrelated engine crashes would share it.
 */
export const CULPRIT_DEPTH = 10;

/** Exception class: the code's name (Breakpad's spelling) in upper snake case, or the code in hex. */
export function exceptionClass(code: number | null | undefined, name: string | null | undefined): string {
  if (code !== null && code !== undefined && Number.isFinite(code)) {
    const known = EXCEPTION_NAMES[code >>> 0];
    return known ? slug(known) : `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
  }
  const n = name?.trim();
  if (n) {
    // A log may print the access kind or the code's name with a suffix; the class is the name.
    const bare = n.replace(/_(READ|WRITE|EXEC|EXECUTE)$/i, '');
    const known = Object.values(EXCEPTION_NAMES).find((x) => slug(x) === slug(bare));
    return slug(known ?? bare);
  }
  return 'UNKNOWN_EXCEPTION';
}

function slug(s: string): string {
  return s
    .trim()
    .toUpperCase()
    .replace(/\+\+/g, 'PP')
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function offsetOf(v: bigint | number | null): bigint | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v >= 0n ? v : null;
  return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : null;
}

/** A file name: no pointer syntax or brackets a lenient parser may have left in (`void* -> x.exe`). */
const PLAUSIBLE_MODULE = /^[^\s*<>|"`()[\]{}]+(?: [^\s*<>|"`()[\]{}]+)*$/;

/** `module+0xoffset`, `module!symbol`, or null for a frame outside every module. */
export function frameKey(f: BucketFrame): string | null {
  const mod = f.module ? baseName(f.module).trim().toLowerCase() : null;
  // A bare address depends on where things were loaded, and a name without a module is not a
  // frame a walker produced (log text caught by a lenient parser): never part of a key.
  if (!mod || !PLAUSIBLE_MODULE.test(mod)) return null;
  const off = offsetOf(f.offset);
  if (off !== null) return `${mod}+0x${off.toString(16)}`;
  const sym = f.symbol ? normalizeSymbol(f.symbol) : null;
  return sym ? `${mod}!${sym}` : null;
}

/** "Foo::Bar(int) + 0x1c" -> "Foo::Bar(int)": the offset inside a function is not stable. */
function normalizeSymbol(s: string): string | null {
  const t = s
    .replace(/\s*\[[^\]]*\]\s*$/, '')
    .replace(/\s*\+\s*(0x)?[0-9a-f]+\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return t || null;
}

/** For titles: the function name when the input has one (keys never depend on symbols being there). */
function display(f: BucketFrame): string {
  const sym = f.symbol ? normalizeSymbol(f.symbol) : null;
  if (f.module && sym && !/^(unk|sub)_[0-9a-f]+$/i.test(sym)) return `${baseName(f.module)}!${sym}`;
  const off = offsetOf(f.offset);
  if (f.module && off !== null) return `${baseName(f.module)}+0x${off.toString(16)}`;
  return frameKey(f) ?? '?';
}

export function stableBucket(input: BucketInput): Bucket {
  const cls = input.hang ? 'HANG' : exceptionClass(input.exceptionCode, input.exceptionName);
  const usable: BucketFrame[] = [];
  for (const f of input.frames) {
    if (!isTrustedOrigin(f.origin)) {
      if (input.chain) break;
      continue;
    }
    if (frameKey(f) !== null) usable.push(f);
  }
  if (usable.length === 0 && input.fault && frameKey(input.fault) !== null) usable.push(input.fault);
  const culprit = usable.slice(0, CULPRIT_DEPTH).filter((f) => !isVictimModule(f.module!));
  const victimsOnly = culprit.length === 0;
  const chosen = (victimsOnly ? usable : culprit).slice(0, BUCKET_FRAMES);
  const frames = chosen.map((f) => frameKey(f)!);
  const parts = [cls, ...(input.hang ? [input.hang.waitShape] : []), ...frames];
  if (!input.hang && frames.length === 0) parts.push('(no frames)');
  const where = chosen[0] ? display(chosen[0]) : null;
  const title = input.hang
    ? `Hang: ${input.hang.waitShape}${where ? ` in ${where}` : ''}`
    : `${cls}${where ? ` in ${where}` : ''}${victimsOnly && where ? ' (game/OS frames only)' : ''}`;
  return { key: parts.join(' | '), title, frames, victimsOnly };
}
