import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { BadRequestError, NotFoundError, UnsupportedError } from '../../../src/main/dispatch-errors';
import { toWireError } from '../../../src/main/dispatch';
import { ExportCancelled } from '../../../src/main/export/bundle-writer';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { BadFolderError } from '../../../src/main/sources/folder-sources';
import { StoreError } from '../../../src/main/store/sqlite-store';

/**
 * Every failure a handler can raise leaves main as a WireError with a closed code, so the
 * renderer decides on the code (a rebuild offer, a quiet "cancelled") and never on wording.
 */
describe('toWireError', () => {
  it('keeps the codes handlers throw on purpose', () => {
    expect(toWireError(new NotFoundError('gone'))).toEqual({ code: 'not_found', message: 'gone' });
    expect(toWireError(new UnsupportedError('no'))).toEqual({ code: 'unsupported', message: 'no' });
    expect(toWireError(new BadRequestError('bad'))).toEqual({ code: 'bad_request', message: 'bad' });
    expect(toWireError(new ExportCancelled()).code).toBe('cancelled');
    expect(toWireError(new BadFolderError('x')).code).toBe('bad_request');
    expect(toWireError(new ZodError([])).code).toBe('bad_request');
    expect(toWireError(new ParseError('short', { code: 'truncated' })).code).toBe('bad_input');
  });

  it('names an unusable index store_<why>, from open or from SQLite mid-query', () => {
    expect(toWireError(new StoreError('newer_schema', 'too new')).code).toBe('store_newer_schema');
    // better-sqlite3's own error class, as a query against a locked or damaged file raises it.
    const sqlite = (code: string, message: string) => new Database.SqliteError(message, code);
    expect(toWireError(sqlite('SQLITE_BUSY', 'database is locked')).code).toBe('store_locked');
    expect(toWireError(sqlite('SQLITE_LOCKED_SHAREDCACHE', 'locked')).code).toBe('store_locked');
    expect(toWireError(sqlite('SQLITE_CORRUPT', 'database disk image is malformed')).code).toBe(
      'store_corrupt',
    );
    expect(toWireError(sqlite('SQLITE_NOTADB', 'file is not a database')).code).toBe('store_corrupt');
    expect(toWireError(sqlite('SQLITE_CONSTRAINT', 'UNIQUE constraint failed')).code).toBe('internal');
  });

  it('everything else is internal, with its message', () => {
    expect(toWireError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toWireError('text')).toEqual({ code: 'internal', message: 'text' });
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(toWireError(enoent).code).toBe('not_found');
    const odd = Object.assign(new Error('odd'), { code: 'something_else' });
    expect(toWireError(odd).code).toBe('internal');
  });
});
