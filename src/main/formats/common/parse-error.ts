/**
 * Why a parser gave up, one code per cause (closed, so synonyms cannot creep back in). Partial
 * results carry the same codes in their problem lists.
 */
export type ParseErrorCode =
  /** A read outside the input: an offset/RVA past the end of the file or buffer. */
  | 'out_of_bounds'
  /** A read asked for a negative or non-integer range (a bug or a wrapped size field). */
  | 'bad_range'
  /** The input ends before the structure does: a header, record, payload or string cut short,
   *  or a file that shrank while being read. */
  | 'truncated'
  /** The file is not the one that was read before (its size changed on disk). */
  | 'file_changed'
  /** A count or size beyond what the input or a sane cap allows. */
  | 'too_large'
  /** A count that cannot fit the structure that holds it. */
  | 'bad_count'
  /** A size field that contradicts the record it describes. */
  | 'bad_size'
  /** A header whose own size fields are impossible. */
  | 'bad_header'
  /** The signature bytes are not this format's. */
  | 'bad_magic'
  /** Text that should be JSON is not. */
  | 'bad_json'
  /** JSON that parses but breaks its schema at one field. */
  | 'bad_field'
  /** JSON whose overall shape is not the format's. */
  | 'bad_shape'
  /** A record (event, entry) that cannot be decoded. */
  | 'bad_record'
  | 'bad_compression'
  | 'bad_tl_metadata'
  /** A type this reader has no decoder for. */
  | 'unknown_type'
  /** Text that is not a crash log of any known logger. */
  | 'not_a_crash_log';

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
      /** Stable machine-readable code (ParseErrorCode). */
      code?: ParseErrorCode;
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

  toJSON(): { message: string; file?: string; field?: string; offset?: number; code?: ParseErrorCode } {
    return { message: this.message, ...this.detail };
  }
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError;
}
