import { expect } from 'vitest';

/** The code the API gives each status of an error (DomainError kinds; http-exception.filter.ts). */
export const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  423: 'locked',
  429: 'too_many',
  500: 'internal',
  503: 'unavailable',
};

/**
 * The contract's error shape as an expectation: `{statusCode, code, message, error, fields}` and
 * nothing else. `fields` is what the error says about each request field (empty by default).
 */
export function errorBody(statusCode: number, message: unknown = expect.any(String), fields: unknown = {}, error: unknown = expect.any(String)) {
  return { statusCode, code: CODE_OF_STATUS[statusCode], message, error, fields };
}

/** A refused live command's ack: the same code, status, message and fields as the HTTP answer, with `ok: false`. */
export function errorAck(statusCode: number, message: unknown = expect.any(String), fields: unknown = {}) {
  const code = CODE_OF_STATUS[statusCode];
  return { ok: false, error: code, code, statusCode, message, fields };
}
