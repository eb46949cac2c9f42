import { moduleRole } from './module-roles';
import { crashPlace, type CrashExplanation } from './explain';
import type { StackFrame } from './stackwalk';
import { hex } from '../../../shared/text';

function frameKey(f: StackFrame): string {
  const fn = f.function ? f.function.replace(/\s+/g, ' ') : undefined;
  return fn ? `${f.module?.toLowerCase()}!${fn}` : `${f.module?.toLowerCase()}+${hex(f.moduleOffset ?? 0n)}`;
}

export interface Bucket {
  /** Stable across machines: no absolute addresses, only module-relative offsets or symbol names. */
  key: string;
  title: string;
}

/** Exception class + faulting module + offset (or function) + the top three non-system frames. */
export function bucketFor(
  reason: string,
  faulting: { name: string; offset: bigint } | undefined,
  location: CrashExplanation['location'],
  frames: readonly StackFrame[],
): Bucket {
  const exClass = reason.replace(/ \/ .*/, '');
  const frame0 = frames[0];
  const where = faulting
    ? frame0?.function && frame0.module?.toLowerCase() === faulting.name.toLowerCase()
      ? `${faulting.name.toLowerCase()}!${frame0.function}`
      : `${faulting.name.toLowerCase()}+${hex(faulting.offset)}`
    : location;
  const top = frames
    .filter((f) => f.index > 0 && f.module && moduleRole(f.module) !== 'system')
    .slice(0, 3)
    .map(frameKey);
  const key = [exClass, where, ...top].join(' | ');
  const shortWhere = faulting
    ? frame0?.function && frame0.module?.toLowerCase() === faulting.name.toLowerCase()
      ? `in ${faulting.name}!${frame0.function}`
      : `in ${faulting.name}+${hex(faulting.offset)}`
    : crashPlace({ location });
  return { key, title: `${exClass} ${shortWhere}` };
}
