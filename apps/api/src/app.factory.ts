import 'reflect-metadata';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { badInput } from './common/errors/domain-error.js';
import { toHttpError } from './common/errors/http-exception.filter.js';
import { httpLogger, PinoNestLogger } from './common/logging/logger.js';
import { AppConfig } from './config/app-config.js';
import { LiveIoAdapter } from './realtime/socket-io.adapter.js';
import { mountWebClient } from './web/web-client.js';

export const API_PREFIX = 'api';
export const JSON_BODY_LIMIT = '1mb';

/** The strict policy the web client runs under: nothing inline, nothing from elsewhere. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/**
 * Requests Node's HTTP parser cannot read (broken framing, a body longer than its
 * Content-Length, headers too large) are answered by Node itself with a bare status line: answer
 * them in the contract's shape instead, then close the connection as Node would.
 */
function answerMalformedHttpInShape(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const statusCode = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({
      statusCode,
      code: statusCode === 431 ? 'too_large' : 'bad_input',
      message: statusCode === 431 ? 'request headers too large' : 'malformed HTTP request',
      error: STATUS_CODES[statusCode],
      fields: {},
    });
    socket.end(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/**
 * A request body that is not JSON would reach the routes as no body at all, and a PATCH whose
 * fields are all optional would then "succeed" doing nothing: refuse it instead, in the contract's
 * shape (400: bad input of any kind). Bodiless requests pass whatever their content type says.
 */
function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !req.path.startsWith(`/${API_PREFIX}/`)) return next();
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return next();
  res.status(400).json(toHttpError(badInput(undefined, 'the request body must be JSON (Content-Type: application/json)')));
}

/** Builds the whole application (API, live channel, web client) without listening; main.ts and tests share it. */
export async function createApp(config: AppConfig, databaseUrl: string, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, databaseUrl), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    bufferLogs: false,
  });
  answerMalformedHttpInShape(app.getHttpServer() as Server);
  if (config.env.TRUST_PROXY) app.set('trust proxy', config.env.TRUST_PROXY === 'true' ? true : config.env.TRUST_PROXY);
  app.disable('x-powered-by');

  app.use(httpLogger(logger));
  app.use(`/${API_PREFIX}/docs`, helmet({ contentSecurityPolicy: { directives: { ...CSP_DIRECTIVES, scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"] } } }));
  app.use(helmet({ contentSecurityPolicy: { directives: CSP_DIRECTIVES }, crossOriginEmbedderPolicy: false }));
  app.use(cookieParser());
  app.use(requireJsonBody);
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  // Body-parser errors (malformed JSON, too large) in the contract's shape, before routing.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const out = toHttpError(err);
    res.status(out.statusCode).json(out);
  });
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: true, exposedHeaders: ['X-Next-Cursor', 'Link', 'ETag', 'Retry-After'] });

  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: '/', method: RequestMethod.GET }] });
  app.enableShutdownHooks();

  const io = new LiveIoAdapter(app, config.corsOrigins);
  if (config.env.REDIS_URL) await io.connectRedis(config.env.REDIS_URL);
  app.useWebSocketAdapter(io);

  const openapi = new DocumentBuilder()
    .setTitle('Consultation forum API')
    .setDescription('Multi-stakeholder consultation: documents, discussion, positions and tallies, moderation. Live channel: socket.io namespace /live.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, () => SwaggerModule.createDocument(app, openapi), { jsonDocumentUrl: `${API_PREFIX}/docs-json` });

  // After the API's middleware: static files, then every other GET is a server-rendered page (apps/api/src/web).
  await mountWebClient(app, { dist: config.env.WEB_DIST ?? 'apps/web/dist', apiPrefix: API_PREFIX, logger });
  return app;
}
