import type { ParsedArgs } from './args';

/**
 * Exit codes shared by every command (documented in README and `--help`): 0 ok, 1 the input
 * was read and something was found (a known issue, a deadlock), 2 the input could not be read
 * (missing file, damaged dump), 64 the command line itself was wrong (EX_USAGE of sysexits.h).
 */
export const EXIT = { ok: 0, findings: 1, badInput: 2, usage: 64 } as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One line (or two) of synopsis, shown with usage errors. */
  usage: string;
  /** The whole `<command> --help` text: synopsis, options, examples, exit codes. */
  help: string;
  /** Flags that take a value (e.g. "db", "out", "symbols"). */
  valueFlags?: readonly string[];
  /** Flags without a value (e.g. "json", "private"); any other flag is a usage error. */
  booleanFlags?: readonly string[];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export class UsageError extends Error {}
export class BadInputError extends Error {}

/** Assembles a command's `--help` text; the words stay in the command's own module. */
export function helpText(h: {
  usage: string;
  about: string;
  options?: readonly (readonly [string, string])[];
  examples: readonly string[];
  exits: readonly string[];
}): string {
  const w = Math.max(0, ...(h.options ?? []).map(([f]) => f.length));
  return [
    `usage: ctd-workbench ${h.usage}`,
    '',
    h.about,
    ...(h.options?.length ? ['', 'Options:', ...h.options.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`)] : []),
    '',
    'Examples:',
    ...h.examples.map((e) => `  ${e}`),
    '',
    'Exit codes:',
    ...h.exits.map((e) => `  ${e}`),
    '  64  usage error (unknown flag, missing argument)',
  ].join('\n');
}
