// HS256 access tokens with the claims TokenService issues ({sub, role, sid}: sid a live session), signed with the JWT_SECRET
// the bench gives the server: the bench needs thousands of participants, and minting their tokens
// skips nothing the server checks on a request (signature, expiry, the user row).
import { createHmac } from 'node:crypto';

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

export function signAccessToken(secret, { sub, sid, role = 'participant' }, ttlSeconds = 6 * 3600) {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, role, sid, iat: now, exp: now + ttlSeconds })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
