import { ApiError } from './api-client';

describe('ApiError.fieldErrors', () => {
  it('reads the fields the API names in a 400', () => {
    const err = new ApiError(400, { statusCode: 400, message: 'email: must be an e-mail address; password: must have at least 10 characters', error: 'Bad Request' });
    expect(err.fieldErrors).toEqual({ email: 'must be an e-mail address', password: 'must have at least 10 characters' });
    expect(new ApiError(409, { statusCode: 409, message: 'email: taken', error: 'Conflict' }).fieldErrors).toEqual({});
  });
});
