import type { ParsedCrashLog } from '../../../shared/domain/crashlog';
import type { DumpFrame } from '../../../shared/domain/minidump';
import { stableBucket, type Bucket, type BucketFrame } from './bucket';

/** What each source hands the bucket: the exception and the frames as its walker found them. */

const hexOffset = (s: string | null | undefined): bigint | null => {
  if (!s) return null;
  const t = s.replace(/^0x/i, '');
  return /^[0-9a-f]{1,16}$/i.test(t) ? BigInt(`0x${t}`) : null;
};

/** A minidump's crashing-thread stack (our walker's frames, with Breakpad's trust names). */
export function dumpBucket(
  exception: { code: number; faultingModule?: string | null; faultingOffset?: bigint | null } | null,
  frames: readonly Pick<DumpFrame, 'module' | 'moduleOffset' | 'function' | 'trust'>[],
): Bucket {
  return stableBucket({
    exceptionCode: exception?.code ?? null,
    chain: true,
    frames: frames.map((f): BucketFrame => ({
      module: f.module,
      offset: hexOffset(f.moduleOffset),
      symbol: f.function,
      origin: f.trust,
    })),
    fault: exception?.faultingModule
      ? {
          module: exception.faultingModule,
          offset: exception.faultingOffset ?? null,
          symbol: null,
          origin: 'context',
        }
      : null,
  });
}

/**
 * A crash log's call stack. Crash loggers print the stack their own walker unwound; Crash Logger
 * 1.20+ tags frames found by scanning the stack with [S] (kept out). Register and stack-slot
 * sections are never frames.
 */
export function crashLogBucket(p: ParsedCrashLog): Bucket {
  const ex = p.exception;
  return stableBucket({
    exceptionCode: ex?.code ?? null,
    exceptionName: ex?.name ?? null,
    frames: p.callStack.map((f): BucketFrame => ({
      module: f.module,
      offset: hexOffset(f.offset),
      symbol: f.symbol,
      origin: frameSource(f) === 'scan' ? 'scan' : 'unwound',
    })),
    fault: ex?.module
      ? { module: ex.module, offset: hexOffset(ex.offset), symbol: null, origin: 'context' }
      : null,
  });
}

/** Crash Logger's [P]/[S] tag where the parser records it (`source`), else untagged. */
function frameSource(f: ParsedCrashLog['callStack'][number]): string | null {
  const s = (f as { source?: unknown }).source;
  return typeof s === 'string' ? s : null;
}

/**
 * SkyrimDiag's summary call stack (`callstack.frames`: "mod.dll+0x1a2b",
 * "mod.dll!Symbol+0x10 [file.cpp:123]", or a bare address), unwound by DbgHelp from the context.
 */
export function summaryBucket(code: number | null, frames: readonly string[]): Bucket {
  return stableBucket({
    exceptionCode: code,
    frames: frames.map((text): BucketFrame => {
      const plus = /^([^!+\s]+)\+0x([0-9a-f]+)$/i.exec(text.trim());
      if (plus) return { module: plus[1]!, offset: BigInt(`0x${plus[2]}`), symbol: null, origin: 'unwound' };
      const bang = /^([^!\s]+)!(.+)$/.exec(text.trim());
      if (bang) return { module: bang[1]!, offset: null, symbol: bang[2]!, origin: 'unwound' };
      return { module: null, offset: null, symbol: null, origin: 'unwound' };
    }),
  });
}

/** A hang: the main thread's wait shape (wait chains) and, when a dump names them, its frames. */
export function hangBucket(waitShape: string, frames: readonly BucketFrame[] = []): Bucket {
  return stableBucket({ hang: { waitShape }, frames });
}
