import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { z } from 'zod';
import { badFields, badInput, conflict, forbidden, locked, notFound } from './domain-error.js';
import { isDatabaseUnavailable, toHttpError, zodFields } from './http-exception.filter.js';

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
      expect(toHttpError(err)).toEqual({ statusCode: 503, code: 'unavailable', message: 'the database is unavailable; try again shortly', error: 'Service Unavailable', fields: {} });
    }
  });

  it('answers 400 for text PostgreSQL cannot store, and never says "unavailable" for a client mistake', () => {
    expect(toHttpError(wrapped('22021', 'invalid byte sequence')).statusCode).toBe(400);
    expect(toHttpError(wrapped('22P05', 'unsupported Unicode escape sequence')).statusCode).toBe(400);
    expect(toHttpError(badInput('body', 'too long'))).toEqual({ statusCode: 400, code: 'bad_input', message: 'body: too long', error: 'Bad Request', fields: { body: 'too long' } });
    expect(isDatabaseUnavailable(wrapped('23505', 'duplicate key'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('keeps a 500 for our own faults, with no detail leaked', () => {
    expect(toHttpError(new TypeError('cannot read properties of undefined (reading "x") at /app/src/x.ts:1'))).toEqual({
      statusCode: 500,
      code: 'internal',
      message: 'internal error',
      error: 'Internal Server Error',
      fields: {},
    });
  });

  it('gives every domain error its code and status, and the field it names in fields', () => {
    expect(toHttpError(notFound('item'))).toEqual({ statusCode: 404, code: 'not_found', message: 'item not found', error: 'Not Found', fields: {} });
    expect(toHttpError(forbidden('no'))).toMatchObject({ statusCode: 403, code: 'forbidden', fields: {} });
    expect(toHttpError(conflict('twice'))).toMatchObject({ statusCode: 409, code: 'conflict' });
    expect(toHttpError(locked('the item is locked'))).toMatchObject({ statusCode: 423, code: 'locked', message: 'the item is locked' });
    expect(toHttpError(badInput('clauseKey', 'item 1 has no clause 1.99'))).toEqual({
      statusCode: 400,
      code: 'bad_input',
      message: 'clauseKey: item 1 has no clause 1.99',
      error: 'Bad Request',
      fields: { clauseKey: 'item 1 has no clause 1.99' },
    });
    expect(toHttpError(badFields({ a: 'x', b: 'y' }, 'a: x; b: y')).fields).toEqual({ a: 'x', b: 'y' });
  });

  it('maps each field a schema refuses to its problem, nested paths dotted and unknown keys named', () => {
    const schema = z.strictObject({ email: z.email(), password: z.string().min(10), quote: z.object({ start: z.number() }) });
    const parsed = schema.safeParse({ email: 'nope', password: 'short', quote: { start: 'x' }, role: 'admin' });
    expect(parsed.success).toBe(false);
    const err = parsed.error!;
    const fields = zodFields(err);
    expect(Object.keys(fields).sort()).toEqual(['email', 'password', 'quote.start', 'role']);
    expect(fields.role).toBe('unknown field');
    const out = toHttpError(err);
    expect(out).toMatchObject({ statusCode: 400, code: 'bad_input', fields });
    expect(out.message).toMatch(/email: .*password: /);
    // A value that is not an object at all is about no one field.
    expect(zodFields(schema.safeParse('a string').error!)).toEqual({});
  });

  it('keeps the code of an HTTP error raised outside the services (413, 429)', () => {
    expect(toHttpError(Object.assign(new Error('too large'), { expose: true, status: 413, type: 'entity.too.large' }))).toMatchObject({ statusCode: 413, code: 'too_large', fields: {} });
  });
});
