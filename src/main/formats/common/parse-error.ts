/**
 * The one error type every parser throws for bad input. It names where the problem is
 * (file, structure/field, byte offset) so a user or a bug report can point at the bytes.
 * Anything else escaping a parser is a bug in the parser, and the fuzz tests treat it so.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly detail: {
      /** Path or display name of the input. */
      file?: string;
      /** Structure or field being read, e.g. "ModuleList.modules[3].name". */
      field?: string;
      /** Absolute byte offset in the input where the problem was found. */
      offset?: number;
      /** Stable machine-readable code, e.g. "out_of_bounds", "bad_magic", "too_large". */
      code?: string;
    } = {},
  ) {
    super(ParseError.format(message, detail));
  }

  private static format(message: string, d: ParseError['detail']): string {
    const where: string[] = [];
    if (d.file) where.push(d.file);
    if (d.field) where.push(d.field);
    if (d.offset !== undefined) where.push(`offset 0x${d.offset.toString(16)}`);
    return where.length ? `${message} (${where.join(', ')})` : message;
  }

  toJSON(): { message: string; file?: string; field?: string; offset?: number; code?: string } {
    return { message: this.message, ...this.detail };
  }
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError;
}
