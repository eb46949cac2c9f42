import { existsSync, readFileSync } from 'node:fs';

/**
 * Reads the two outputs of Breakpad's minidump_stackwalk (`-m` machine-readable, and the
 * human-readable one with "Found by" and the recovered registers) for the thread the walk is
 * about: the crashing thread, or the first thread printed when the dump records no crash.
 */
export interface BreakpadFrame {
  index: number;
  module: string;
  function: string;
  file: string;
  line: string;
  /** From the line, else the function, else the module base, else the address itself. */
  offset: string;
  /** "Found by" text, when the human-readable output was given. */
  foundBy?: string;
  /** Registers Breakpad printed for the frame (lower-case names, hex values). */
  regs?: Record<string, string>;
}

export interface BreakpadRun {
  crashReason: string;
  crashAddress: string;
  thread: number | null;
  frames: BreakpadFrame[];
}

/** Breakpad's "Found by" wording -> our trust values. */
export const FOUND_BY: Readonly<Record<string, string>> = {
  'given as instruction pointer in context': 'context',
  'call frame info': 'cfi',
  'call frame info with scanning': 'cfi_scan',
  "previous frame's frame pointer": 'frame_pointer',
  'stack scanning': 'scan',
  'simulating a return from leaf function': 'leaf',
};

export function readBreakpad(machinePath: string, humanPath?: string): BreakpadRun {
  const lines = readFileSync(machinePath, 'utf8').split('\n');
  const crash = lines.find((l) => l.startsWith('Crash|'))?.split('|') ?? [];
  const crashed = crash[3] ?? '';
  const first = lines.find((l) => /^\d+\|\d+\|/.test(l))?.split('|')[0];
  const thread = crashed !== '' ? Number(crashed) : first !== undefined ? Number(first) : null;
  const frames: BreakpadFrame[] =
    thread === null
      ? []
      : lines
          .filter((l) => l.startsWith(`${thread}|`))
          .map((l) => l.split('|'))
          .map((p) => ({
            index: Number(p[1]),
            module: p[2] ?? '',
            function: p[3] ?? '',
            file: p[4] ?? '',
            line: p[5] ?? '',
            offset: p[6] ?? '',
          }));
  if (humanPath && existsSync(humanPath) && thread !== null) addHumanDetail(humanPath, thread, frames);
  return { crashReason: crash[1] ?? '', crashAddress: crash[2] ?? '', thread, frames };
}

function addHumanDetail(path: string, thread: number, frames: BreakpadFrame[]): void {
  const text = readFileSync(path, 'utf8');
  const start = text.search(new RegExp(`^Thread ${thread}( \\(crashed\\))?$`, 'm'));
  if (start < 0) return;
  const block = text.slice(start).split(/\n\n/)[0] ?? '';
  let current: BreakpadFrame | undefined;
  for (const line of block.split('\n').slice(1)) {
    const head = /^\s?(\d+)\s{2}/.exec(line);
    if (head) {
      current = frames.find((f) => f.index === Number(head[1]));
      if (current) current.regs = {};
      continue;
    }
    const found = /^\s+Found by: (.*)$/.exec(line);
    if (found && current) {
      current.foundBy = found[1];
      continue;
    }
    for (const m of line.matchAll(/([a-z0-9]+) = (0x[0-9a-f]+)/g))
      if (current?.regs && m[1] !== undefined && m[2] !== undefined) current.regs[m[1]] = m[2];
  }
}
