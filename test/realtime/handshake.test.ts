import { JwtService } from '@nestjs/jwt';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { connectLive, createUser, emitAck, startTestApp, type TestApp } from '../support/app.js';

/** The /live handshake: an optional access token; guests read, a bad token is refused. */

const SLUG = 'ai-governance-action-plan';
const DRAFT = 'handshake-draft';
let t: TestApp;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const admin = await createUser(t, { role: 'admin' });
  await request(t.base)
    .post('/api/admin/consultations')
    .set('Authorization', `Bearer ${admin.token}`)
    .send({ slug: DRAFT, markdown: '# 草案\n\n序言。\n\n一、第一项。内容。\n', status: 'draft' })
    .expect(201);
});
afterEach(() => {
  while (sockets.length) sockets.pop()!.close();
});
afterAll(async () => {
  await t?.close();
});

async function connect(token?: string): Promise<Socket> {
  const s = await connectLive(t, token);
  sockets.push(s);
  return s;
}

/** The handshake's answer for a raw `auth` payload: 'connected' or the connect_error message. */
function handshake(auth: Record<string, unknown>): Promise<string> {
  return new Promise((resolve) => {
    const s = io(`${t.base}/live`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (err) => resolve(`refused: ${err.message}`));
  });
}

describe('the /live handshake', () => {
  it('admits a guest without a token, who may read', async () => {
    const s = await connect();
    expect(await emitAck(s, 'subscribe', { consultation: SLUG, item: 1 })).toEqual({ ok: true, seq: expect.any(Number) });
  });

  it('admits a valid token and knows who it is: the role decides what may be subscribed', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const participant = await createUser(t);
    const asAdmin = await connect(admin.token);
    const asParticipant = await connect(participant.token);
    const asGuest = await connect();
    expect(await emitAck(asAdmin, 'subscribe', { consultation: DRAFT })).toMatchObject({ ok: true });
    expect(await emitAck(asParticipant, 'subscribe', { consultation: DRAFT })).toMatchObject({ ok: false, error: 'not_found' });
    expect(await emitAck(asGuest, 'subscribe', { consultation: DRAFT })).toMatchObject({ ok: false, error: 'not_found' });
  });

  it('refuses a token signed with another secret', async () => {
    const p = await createUser(t, { role: 'admin' });
    const forged = new JwtService({ secret: 'not the secret of this forum, long enough' }).sign({ sub: p.id, role: 'admin' });
    expect(await handshake({ token: forged })).toMatch(/^refused: unauthorized/);
  });

  it('refuses a tampered token (claims changed after signing)', async () => {
    const p = await createUser(t);
    const [h, , sig] = p.token.split('.');
    const claims = Buffer.from(JSON.stringify({ sub: p.id, role: 'admin', iat: Math.floor(Date.now() / 1000) })).toString('base64url');
    expect(await handshake({ token: `${h}.${claims}.${sig}` })).toMatch(/^refused: unauthorized/);
  });

  it('refuses an unsigned token', async () => {
    const p = await createUser(t);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: p.id, role: 'admin' })).toString('base64url')}.`;
    expect(await handshake({ token: none })).toMatch(/^refused: unauthorized/);
  });

  it('refuses an expired token', async () => {
    const p = await createUser(t);
    const expired = t.app.get(JwtService).sign({ sub: p.id, role: 'participant', exp: Math.floor(Date.now() / 1000) - 5 });
    expect(await handshake({ token: expired })).toMatch(/^refused: unauthorized/);
    // the same user with a fresh token is fine: it is the expiry that was refused
    await connect(p.token);
  });

  it('refuses a valid token of an account that no longer exists', async () => {
    const p = await createUser(t);
    await t.db.query(`DELETE FROM users WHERE id = $1`, [p.id]);
    expect(await handshake({ token: p.token })).toMatch(/^refused: unauthorized/);
  });

  it('gives a refused handshake its code in connect_error data, which the web client reads instead of the message', async () => {
    for (const token of ['garbage', 42]) {
      const err = await new Promise<Error & { data?: unknown }>((resolve) => {
        const s = io(`${t.base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
        sockets.push(s);
        s.once('connect_error', resolve);
      });
      expect(err.data).toEqual({ code: 'unauthenticated', statusCode: 401, fields: {} });
    }
  });

  it('refuses garbage and a token that is not a string, without crashing', async () => {
    expect(await handshake({ token: 'garbage' })).toMatch(/^refused: unauthorized/);
    expect(await handshake({ token: 42 })).toMatch(/^refused: unauthorized/);
    expect(await handshake({ token: { sub: 'x' } })).toMatch(/^refused: unauthorized/);
    expect(await handshake({ token: 'x'.repeat(10_000) })).toMatch(/^refused: unauthorized/);
    // and the server still admits the next client
    await connect();
  });
});
