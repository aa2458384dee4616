import { ApiError } from './api-client';

describe('ApiError.fieldErrors', () => {
  it('reads the fields the API names, not the message', () => {
    const err = new ApiError(400, {
      statusCode: 400,
      code: 'bad_input',
      message: 'email: must be an e-mail address; password: must have at least 10 characters',
      error: 'Bad Request',
      fields: { email: 'must be an e-mail address', password: 'must have at least 10 characters' },
    });
    expect(err.fieldErrors).toEqual({ email: 'must be an e-mail address', password: 'must have at least 10 characters' });
    expect(err.code).toBe('bad_input');
  });

  it('names no field when the API names none, whatever the message looks like', () => {
    expect(new ApiError(409, { statusCode: 409, code: 'conflict', message: 'email: taken', error: 'Conflict', fields: {} }).fieldErrors).toEqual({});
    expect(new ApiError(500, null).fieldErrors).toEqual({});
  });
});
