import type { ParsedArgs } from './args';

/** Exit codes shared by every command (documented in README). */
export const EXIT = { ok: 0, findings: 1, usage: 1, badInput: 2 } as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Flags that take a value (e.g. "db", "out", "symbols"). */
  valueFlags?: readonly string[];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export class UsageError extends Error {}
export class BadInputError extends Error {}
