/** Minimal argv parser: positionals, `--flag`, `--key value` and `--key=value`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
  /** Every value of a value flag given more than once (`--pin a --pin b`), in order. */
  repeated?: Record<string, string[]>;
}

export function parseArgs(argv: readonly string[], valueFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  const repeated: Record<string, string[]> = {};
  const keep = (key: string, value: string) => {
    flags[key] = value;
    (repeated[key] ??= []).push(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        keep(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const key = a.slice(2);
        const next = argv[i + 1];
        if (valueFlags.includes(key) && next !== undefined) {
          keep(key, next);
          i++;
        } else {
          flags[key] = true;
        }
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, flags, repeated };
}

/** All values of a repeatable value flag (`--pin a --pin b` → ["a", "b"]). */
export function flagStrings(args: ParsedArgs, name: string): string[] {
  return args.repeated?.[name] ?? (typeof args.flags[name] === 'string' ? [args.flags[name] as string] : []);
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}
