import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ZodError } from 'zod';
import { pgCode, PG } from '../../database/transaction.js';
import { DomainError, ErrorKind, STATUS_OF_KIND } from './domain-error.js';

/**
 * The contract's error shape, `{statusCode, message, error}`, with what a client needs to act on
 * it without reading the message: `code` (a stable word per kind of error) and `fields` (each
 * request field the error is about, with its problem; empty when it is about none). The socket
 * acks carry the same `code`, `statusCode`, `message` and `fields`.
 */
export interface HttpErrorBody {
  statusCode: number;
  code: string;
  message: string;
  error: string;
  fields: Record<string, string>;
}

/** The code of an error that is not a DomainError, by its status. */
const CODE_OF_STATUS: Record<number, string> = {
  ...Object.fromEntries(Object.entries(STATUS_OF_KIND).map(([kind, status]) => [status, kind])),
  413: 'too_large',
  500: 'internal',
};

/**
 * Connection-level failures: the database is away, the client is not at fault.
 * 57P01-03 admin/crash shutdown, cannot connect now (starting up, shutting down); 57P05 idle
 * session timeout; 08xxx connection exceptions; 53300 too many connections; 53100 disk full;
 * 58000 system error; EAI_AGAIN/EHOSTUNREACH/ENOTFOUND/EPIPE: the network under the driver.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  '57P01', '57P02', '57P03', '57P05', '08000', '08001', '08003', '08004', '08006', '08P01', '53300', '53100', '58000',
]);

/** Driver and ORM messages of a connection that failed or went away mid-request. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|the database system is (starting up|shutting down|in recovery mode)|terminating connection/i;

/**
 * True when an error means "the database cannot be reached right now" rather than anything the
 * client sent: the HTTP layer answers 503, the auth guard lets it through instead of a 401.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = pgCode(err);
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // TypeORM releases a transaction's query runner when its connection dies; the transaction's next query says so.
  const name = (err as { name?: unknown }).name ?? (err as object).constructor?.name;
  if (name === 'QueryRunnerProviderAlreadyReleasedError' || name === 'ConnectionIsNotSetError') return true;
  const msg = String((err as { message?: unknown }).message ?? '');
  return UNAVAILABLE_MESSAGE.test(msg);
}

function body(statusCode: number, message: string, fields: Record<string, string> = {}, code?: string): HttpErrorBody {
  return { statusCode, code: code ?? CODE_OF_STATUS[statusCode] ?? (statusCode >= 500 ? 'internal' : ErrorKind.BadInput), message, error: STATUS_CODES[statusCode] ?? 'Error', fields };
}

/** Each field a schema refused, with its first problem (`unknown field` for a key the schema does not know). */
export function zodFields(err: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) out[[...i.path, key].join('.')] ??= 'unknown field';
      continue;
    }
    // An issue with the whole value (not an object, say) is about no one field: the message says it.
    if (i.path.length > 0) out[i.path.join('.')] ??= i.message;
  }
  return out;
}

export function zodMessage(err: ZodError): string {
  return err.issues
    .map((i) => {
      const field = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
      return field ? `${field}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Translates anything thrown into the contract's error shape; a 500 only for our own faults. */
export function toHttpError(err: unknown): HttpErrorBody {
  if (err instanceof DomainError) return body(STATUS_OF_KIND[err.kind], err.message, err.fields, err.kind);
  if (err instanceof ZodError) return body(400, zodMessage(err), zodFields(err));
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const res = err.getResponse();
    const msg = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    return body(status, Array.isArray(msg) ? msg.join('; ') : String(msg ?? err.message));
  }
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string; code?: string };
  // body-parser errors: malformed JSON, too large, bad encoding
  if (e && e.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.type === 'entity.parse.failed') return body(400, 'malformed JSON body');
    if (e.type === 'entity.too.large') return body(413, 'request body too large');
    return body(e.status, e.message ?? 'bad request');
  }
  const code = pgCode(err);
  if (code === PG.characterNotInRepertoire || code === PG.untranslatableCharacter || code === '22P02') return body(400, 'text contains characters that cannot be stored');
  if (isDatabaseUnavailable(err)) return body(503, 'the database is unavailable; try again shortly');
  return body(500, 'internal error');
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const out = toHttpError(exception);
    // An outage is expected weather, not a bug: one line each, no stack.
    if (out.statusCode === 503) this.logger.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
    else if (out.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (out.statusCode === 503) res.setHeader('Retry-After', '2');
    if (res.headersSent) return;
    res.status(out.statusCode).json(out);
  }
}
