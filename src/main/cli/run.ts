import { parseArgs } from './args';
import { commands } from './commands/index';
import { BadInputError, EXIT, UsageError, type CliCommand, type CliIo } from './types';
import { isParseError } from '../formats/common/parse-error';

/** The overview, from the command table alone: no command module loads to print it. */
function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'ctd-workbench: triage game crashes and hangs',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `ctd-workbench <command> --help` for a command's options and examples.",
    'Exit codes: 0 ok, 1 findings (a known issue, a deadlock), 2 bad input (missing or',
    'damaged file), 64 usage error.',
  ].join('\n');
}

/** Flags the command does not know, or value flags given without a value. */
function flagProblem(cmd: CliCommand, flags: Record<string, string | true>): string | null {
  const values = cmd.valueFlags ?? [];
  const known = new Set([...values, ...(cmd.booleanFlags ?? []), 'help']);
  for (const [k, v] of Object.entries(flags)) {
    if (!known.has(k)) return `unknown option --${k}`;
    if (values.includes(k) && v === true) return `--${k} needs a value`;
  }
  return null;
}

const CORRUPT_MESSAGE =
  'The incident index is damaged. The next command checks it, keeps it aside and starts a new one; scan your folders again to fill it.';

/** A file-system error in words, without Node's "ENOENT: ..., open '...'" prefix. */
function fsProblem(err: NodeJS.ErrnoException): string | null {
  const where = err.path ? `${err.path}: ` : '';
  switch (err.code) {
    case 'ENOENT':
      return `${where}no such file or folder`;
    case 'EACCES':
    case 'EPERM':
      return `${where}permission denied`;
    case 'EISDIR':
      return `${where}is a folder, not a file`;
    case 'ENOTDIR':
      return `${where}a part of the path is not a folder`;
    default:
      return null;
  }
}

/** Runs one CLI invocation in-process and returns its exit code (tests call this directly). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const text = help();
    if (name) io.out(text + '\n');
    else io.err(text + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`unknown command: ${name}\n\n${help()}\n`);
    return EXIT.usage;
  }
  const cmd = await entry.load();
  const args = parseArgs(rest, cmd.valueFlags ?? []);
  if (args.flags.help || rest.includes('-h')) {
    io.out(`${cmd.help}\n`);
    return EXIT.ok;
  }
  const bad = flagProblem(cmd, args.flags);
  if (bad) {
    io.err(
      `${cmd.name}: ${bad}\nusage: ctd-workbench ${cmd.usage}\nRun \`ctd-workbench ${cmd.name} --help\` for more.\n`,
    );
    return EXIT.usage;
  }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${cmd.name}: ${e.message}\nusage: ctd-workbench ${cmd.usage}\n`);
      return EXIT.usage;
    }
    if (e instanceof BadInputError || isParseError(e)) {
      io.err(`error: ${(e as Error).message}\n`);
      return EXIT.badInput;
    }
    // Loaded only here: the store's code (and node:crypto under it) is not for `analyze` (issue 15).
    const { BUSY_MESSAGE, isBusyError, isCorruptError } = await import('../store/integrity');
    if (isBusyError(e)) {
      io.err(`error: ${BUSY_MESSAGE}\n`);
      return EXIT.badInput;
    }
    if (isCorruptError(e)) {
      // The command's orderly close recorded the index as clean; it is not: the next open checks
      // it (and moves it aside), instead of trusting that record.
      (await import('../store/clean-close')).voidCloseMarks();
      io.err(`error: ${CORRUPT_MESSAGE} (${(e as Error).message})\n`);
      return EXIT.badInput;
    }
    const fs = e instanceof Error ? fsProblem(e as NodeJS.ErrnoException) : null;
    if (fs) {
      io.err(`error: ${fs}\n`);
      return EXIT.badInput;
    }
    io.err(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.badInput;
  }
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}
