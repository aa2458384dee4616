/**
 * Errors the services throw. Each kind maps once to an HTTP status (http-exception.filter.ts)
 * and to a socket ack (the gateway), so services never speak HTTP.
 */
export const ErrorKind = {
  BadInput: 'bad_input',
  Unauthenticated: 'unauthenticated',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  Locked: 'locked',
  TooMany: 'too_many',
  Unavailable: 'unavailable',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export class DomainError extends Error {
  /** Each request field the error is about, with its problem: what a client shows beside the field. */
  readonly fields: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The request field the error is about, when there is one. */
    readonly field?: string,
    /** Several fields at once (a schema's issues); `message` then says them all. */
    fields?: Record<string, string>,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.fields = fields ?? (field ? { [field]: message } : {});
  }
}

export const badInput = (field: string | undefined, message: string) => new DomainError(ErrorKind.BadInput, message, field);
/** A 400 about several fields: `fields` maps each to its problem, `message` says them all. */
export const badFields = (fields: Record<string, string>, message: string) => new DomainError(ErrorKind.BadInput, message, undefined, fields);
export const notFound = (what: string) => new DomainError(ErrorKind.NotFound, `${what} not found`);
export const forbidden = (message: string) => new DomainError(ErrorKind.Forbidden, message);
export const conflict = (message: string) => new DomainError(ErrorKind.Conflict, message);
export const locked = (message: string) => new DomainError(ErrorKind.Locked, message);
export const unauthenticated = (message = 'authentication required') => new DomainError(ErrorKind.Unauthenticated, message);

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_many: 429,
  unavailable: 503,
};
