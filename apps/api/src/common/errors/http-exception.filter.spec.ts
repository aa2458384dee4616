import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { badInput } from './domain-error.js';
import { isDatabaseUnavailable, toHttpError } from './http-exception.filter.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const wrapped = (code: string, message = 'x') => new QueryFailedError('SELECT 1', [], pgError(code, message));

describe('toHttpError', () => {
  it('answers 503 for every way the database can be away', () => {
    for (const err of [
      pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      wrapped('57P01', 'terminating connection due to administrator command'),
      wrapped('57P03', 'the database system is starting up'),
      pgError('57P03', 'the database system is shutting down'),
      wrapped('53300', 'sorry, too many clients already'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new QueryRunnerProviderAlreadyReleasedError(),
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(true);
      expect(toHttpError(err)).toEqual({ statusCode: 503, message: 'the database is unavailable; try again shortly', error: 'Service Unavailable' });
    }
  });

  it('answers 400 for text PostgreSQL cannot store, and never says "unavailable" for a client mistake', () => {
    expect(toHttpError(wrapped('22021', 'invalid byte sequence')).statusCode).toBe(400);
    expect(toHttpError(wrapped('22P05', 'unsupported Unicode escape sequence')).statusCode).toBe(400);
    expect(toHttpError(badInput('body', 'too long'))).toEqual({ statusCode: 400, message: 'body: too long', error: 'Bad Request' });
    expect(isDatabaseUnavailable(wrapped('23505', 'duplicate key'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('keeps a 500 for our own faults, with no detail leaked', () => {
    expect(toHttpError(new TypeError('cannot read properties of undefined (reading "x") at /app/src/x.ts:1'))).toEqual({
      statusCode: 500,
      message: 'internal error',
      error: 'Internal Server Error',
    });
  });
});
