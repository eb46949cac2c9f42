import { parseArgs } from './args';
import { commands, loadAllCommands } from './commands/index';
import { BadInputError, EXIT, UsageError, type CliIo } from './types';
import { isParseError } from '../formats/common/parse-error';

async function help(): Promise<string> {
  const all = await loadAllCommands();
  const width = Math.max(...all.map((c) => c.name.length), 4);
  return [
    'ctd-workbench: triage game crashes and hangs',
    '',
    'Commands:',
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `ctd-workbench <command> --help` for a command's options.",
    'Exit codes: 0 ok, 1 findings or usage error, 2 bad input.',
  ].join('\n');
}

/** Runs one CLI invocation in-process and returns its exit code (tests call this directly). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out((await help()) + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`unknown command: ${name}\n\n${await help()}\n`);
    return EXIT.usage;
  }
  const cmd = await entry.load();
  const args = parseArgs(rest, cmd.valueFlags ?? []);
  if (args.flags.help) {
    io.out(`${cmd.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\nusage: ${cmd.usage}\n`);
      return EXIT.usage;
    }
    if (e instanceof BadInputError || isParseError(e)) {
      io.err(`error: ${(e as Error).message}\n`);
      return EXIT.badInput;
    }
    const err = e as NodeJS.ErrnoException;
    if (
      err &&
      (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR' || err.code === 'ENOTDIR')
    ) {
      io.err(`error: ${err.message}\n`);
      return EXIT.badInput;
    }
    io.err(`internal error: ${err?.stack ?? String(e)}\n`);
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
