/** Errors handlers throw on purpose; dispatch maps them to WireError codes. */
export class NotFoundError extends Error {
  readonly code = 'not_found';
}

export class UnsupportedError extends Error {
  readonly code = 'unsupported';
}

export class BadRequestError extends Error {
  readonly code = 'bad_request';
}
