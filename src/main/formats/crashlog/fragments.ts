import {
  MAX_ENTRIES,
  MAX_OBJECTS,
  head,
  parseExceptionLine,
  parseFrame,
  parseRegisterLine,
  parseStackLine,
  type ParseContext,
} from './common';
import { objectsFromDetails } from './relevant-objects';

/**
 * A paste with no header and no section titles: an exception line on its own, a few frames,
 * a handful of stack slots. Each line is read for what it is, wherever it stands, so the
 * culprit model still sees the module names; the log is marked as missing its sections.
 */

/** x64 register names as the loggers print them (Crash Logger "RAX", NSF "AX:"). */
const REGISTER = /^(R[A-D]X|RSI|RDI|RBP|RSP|RIP|R(?:[89]|1[0-5])|[A-D]X|SI|DI|BP|SP|IP|R(?:[89]|1[0-5])D?)$/;

export function parseFragments(ctx: ParseContext): void {
  const { lines, log } = ctx;
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = head(lines[i] ?? '');
    if (!line.trim()) continue;
    if (!log.exception) {
      const ex = parseExceptionLine(line);
      if (ex) {
        log.exception = ex;
        continue;
      }
    }
    const slot = parseStackLine(line);
    if (slot) {
      if (log.stack.length < MAX_ENTRIES) log.stack.push(slot);
      first = first < 0 ? i : first;
      continue;
    }
    const f = parseFrame(line, log.callStack.length);
    if (f && (f.module || f.address)) {
      if (log.callStack.length < MAX_ENTRIES) log.callStack.push(f);
      first = first < 0 ? i : first;
      continue;
    }
    const reg = parseRegisterLine(line);
    if (reg && REGISTER.test(reg.name) && log.registers.length < MAX_ENTRIES) {
      log.registers.push(reg);
      first = first < 0 ? i : first;
    }
  }
  if (first >= 0) {
    ctx.ranges.callStack = [first, lines.length];
    ctx.ranges.relevantObjects = ctx.ranges.callStack;
  }
  for (const slot of [...log.registers, ...log.stack])
    objectsFromDetails(slot.name, slot.annotation, slot.details, log.relevantObjects, MAX_OBJECTS);
  log.missing.push('logger header');
  if (!log.modules.length) log.missing.push('module list');
  if (!log.pluginsListed) log.missing.push('plugin list');
}
