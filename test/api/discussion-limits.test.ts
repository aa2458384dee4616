import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { errorBody } from '../support/errors.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ WRITE_RATE_PER_MINUTE: '4' });
});
afterAll(async () => {
  await t?.close();
});

describe('the write limit on comments', () => {
  it('counts comments, edits and deletes per participant and answers 429 with Retry-After beyond it', async () => {
    const busy = await createUser(t);
    const calm = await createUser(t);
    const auth = (u: { token: string }) => ({ Authorization: `Bearer ${u.token}` });
    const c = await request(t.base).post(`/api/consultations/${SLUG}/items/1/comments`).set(auth(busy)).send({ body: 'one' }).expect(201);
    await request(t.base).post(`/api/consultations/${SLUG}/items/1/comments`).set(auth(busy)).send({ body: 'two' }).expect(201);
    await request(t.base).patch(`/api/comments/${c.body.id}`).set(auth(busy)).send({ body: 'one, edited' }).expect(200);
    await request(t.base).delete(`/api/comments/${c.body.id}`).set(auth(busy)).expect(204);

    const refused = await request(t.base).post(`/api/consultations/${SLUG}/items/1/comments`).set(auth(busy)).send({ body: 'five' }).expect(429);
    expect(refused.body).toEqual(errorBody(429, expect.stringMatching(/too many writes/), {}, 'Too Many Requests'));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another participant is not affected, and reading is not limited.
    await request(t.base).post(`/api/consultations/${SLUG}/items/1/comments`).set(auth(calm)).send({ body: 'calm' }).expect(201);
    const page = await request(t.base).get(`/api/consultations/${SLUG}/items/1/comments`).set(auth(busy)).expect(200);
    expect(page.body.comments.map((x: { body: string | null }) => x.body)).toEqual([null, 'two', 'calm']);
  });
});
