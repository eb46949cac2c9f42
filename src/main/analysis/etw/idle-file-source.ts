import { FileSource, type ByteSource } from '../../formats/common/byte-source';
import { ParseError } from '../../formats/common/parse-error';

/**
 * A file source that lets go of its handle when unused for a while and reopens on the next
 * read. A cached trace session must not keep the .etl open: on Windows an open handle stops
 * SkyrimDiag's retention (or the user) from deleting or replacing the file.
 */
export class IdleFileSource implements ByteSource {
  readonly size: number;
  private src: FileSource | null;
  private lastUse = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    private readonly idleMs = 20_000,
  ) {
    this.src = new FileSource(name);
    this.size = this.src.size;
  }

  read(offset: number, length: number, field: string): Buffer {
    if (!this.src) {
      const src = new FileSource(this.name);
      if (src.size !== this.size) {
        src.close();
        throw new ParseError('the trace changed on disk since it was read', {
          file: this.name,
          field,
          code: 'file_changed',
        });
      }
      this.src = src;
    }
    this.lastUse = Date.now();
    this.arm();
    return this.src.read(offset, length, field);
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (Date.now() - this.lastUse >= this.idleMs) this.release();
      else this.arm();
    }, this.idleMs);
    this.timer.unref();
  }

  /** Closes the handle now; the next read reopens it. */
  release(): void {
    this.src?.close();
    this.src = null;
  }

  get isOpen(): boolean {
    return this.src !== null;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.release();
  }
}
