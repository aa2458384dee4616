import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { PUBLIC_KEY } from '../../apps/api/src/common/auth/decorators.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * Deny by default: walks every route the real app registered (the Express router, so routes
 * that are not Nest controllers are seen too) and fails if one answers a request without a
 * token with anything but 401 — unless it is listed here. A new public route must be added to
 * this list, on purpose, in review.
 */
const PUBLIC_ROUTES = new Set([
  // health (API documentation under GET /api/docs*: see isApiDocs)
  'GET /api/health',
  // accounts: signing up and in cannot require being signed in; refresh and logout carry the cookie
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  // password reset: the link's token is the credential; options tell the sign-in form whether mail is sent
  'GET /api/auth/options',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/request',
  // everyone reads the documents, the threads, the positions, the report and the moderation log
  'GET /api/consultations',
  'GET /api/consultations/:slug',
  'GET /api/consultations/:slug/items/:n/comments',
  'GET /api/comments/:id',
  'GET /api/comments/:id/revisions',
  'GET /api/consultations/:slug/items/:n/tally',
  'GET /api/consultations/:slug/tally',
  'GET /api/consultations/:slug/export',
  'GET /api/consultations/:slug/moderation-log',
  'GET /api/consultations/:slug/report',
]);

/** The OpenAPI document and Swagger UI's page and assets (their file names vary with its version): not controllers, public. */
const isApiDocs = (r: Route) => r.method === 'GET' && /^\/api\/docs(?:-json|-yaml|\/.*)?$/.test(r.path);

/**
 * `/` is outside the API: Nest registers its not-found answer there for every method, and the
 * built web client (when present) answers GET. Checked to stay a 404 (or the web page).
 */
const isOutsideApi = (r: Route) => r.path === '/';
const OUTSIDE_API_STATUS: Record<string, number[]> = { GET: [200, 404] };

/** The methods a client can send; Express also lists WebDAV and others for `all()` routes. */
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface Route {
  method: string;
  path: string;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Every method + path on the Express router, as registered (Express 5 path syntax). */
function expressRoutes(): Route[] {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  interface Layer {
    route?: { path: string | string[]; methods: Record<string, boolean> };
  }
  const out: Route[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && METHODS.has(method.toUpperCase())) out.push({ method: method.toUpperCase(), path });
      }
    }
  }
  return out;
}

/** Every Nest handler marked @Public(), as METHOD /api/path. */
function nestPublicRoutes(): string[] {
  const out: string[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!cls) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, cls) as string | string[] | undefined) ?? '';
      const classPublic = Reflect.getMetadata(PUBLIC_KEY, cls) === true;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const handler = cls.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        if (!(classPublic || Reflect.getMetadata(PUBLIC_KEY, handler) === true)) continue;
        for (const b of [base].flat()) {
          for (const s of [sub].flat()) {
            const path = ['/api', b, s].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
            out.push(`${method} /${path}`);
          }
        }
      }
    }
  }
  return out;
}

/** A concrete URL for a route pattern; the values only need to reach the guard. */
function concrete(path: string): string {
  return path
    .replace(/:slug\b/g, 'ai-governance-action-plan')
    .replace(/:n\b/g, '1')
    .replace(/:id\b/g, '1')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\*\w*/g, 'x')
    .replace(/:\w+/g, '1');
}

function send(method: string, url: string, token?: string) {
  const r = request(t.base)[method.toLowerCase() as 'get'](url);
  if (token) r.set('Authorization', `Bearer ${token}`);
  return ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? r.send({}) : r;
}

describe('every route', () => {
  it('finds the routes of the running app', () => {
    const routes = expressRoutes().map((r) => `${r.method} ${r.path}`);
    // sanity: the walk sees Nest routes, non-Nest routes, and guarded and public ones
    expect(routes).toEqual(expect.arrayContaining(['GET /api/me', 'GET /api/admin/users', 'POST /api/auth/login', 'GET /api/docs-json']));
    expect(routes.length).toBeGreaterThan(12);
    if (process.env.SHOW_ROUTES) console.log(routes.join('\n'));
  });

  it('answers 401 without a token, unless listed as public', async () => {
    const leaks: string[] = [];
    for (const r of expressRoutes()) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC_ROUTES.has(key) || isApiDocs(r)) continue;
      const res = await send(r.method, concrete(r.path));
      const expected = isOutsideApi(r) ? (OUTSIDE_API_STATUS[r.method] ?? [404]) : [401];
      if (!expected.includes(res.status)) leaks.push(`${key} answered ${res.status} without a token`);
    }
    expect(leaks).toEqual([]);
  });

  it('lists every route marked @Public()', () => {
    const unlisted = nestPublicRoutes().filter((r) => !PUBLIC_ROUTES.has(r));
    expect(unlisted).toEqual([]);
  });

  it('refuses a forged token with 401 on every controller route, public ones too', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlIjoiYWRtaW4ifQ.bad-signature';
    const wrong: string[] = [];
    for (const r of expressRoutes()) {
      const key = `${r.method} ${r.path}`;
      // the API docs and the not-found answer are not controllers: they read no token
      if (isApiDocs(r) || isOutsideApi(r)) continue;
      const res = await send(r.method, concrete(r.path), forged);
      if (res.status !== 401) wrong.push(`${key} answered ${res.status} to a forged token`);
    }
    expect(wrong).toEqual([]);
  });
});
