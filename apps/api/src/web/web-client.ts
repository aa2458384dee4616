import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { pageReads, type PageReads, type RefusalType } from './page-reads.js';
import { PageTemplate } from './page-template.js';

/** The built server-rendering entry (apps/web/src/entry-server.tsx), as far as the API uses it. */
interface WebRenderer {
  prepare(): Promise<void>;
  render(req: { url: string; lang: string; reads: PageReads }): Promise<null | {
    status: number;
    html: string;
    stateScript: string;
    title: string;
    htmlLang: string;
    dir: 'ltr' | 'rtl';
    modules: string[];
  }>;
  pickLanguage(inputs: { query?: string | null; cookie?: string | null; acceptLanguage?: string | null }): string;
  ReadRefused: RefusalType;
}

/**
 * The web client: its built files (compressed, hashed assets cached for a year) and every page,
 * rendered on the server in the reader's language with the data already in it, so the text is
 * there before any script runs and the browser takes the page over without redrawing it.
 *
 * The renderer is apps/web's own build (dist/server/entry-server.js), imported by its path at
 * start-up — the API never imports apps/web's sources. Without a build there is no web client
 * (API only); if the renderer cannot be loaded, or fails on a page, the page is the plain shell
 * that renders in the browser, and the log says why.
 */
export async function mountWebClient(app: NestExpressApplication, opts: { dist: string; apiPrefix: string; logger: Logger }): Promise<void> {
  const dist = path.resolve(opts.dist);
  const indexFile = path.join(dist, 'index.html');
  if (!existsSync(indexFile)) return;
  const log = opts.logger.child({ context: 'web' });
  const template = new PageTemplate(readFileSync(indexFile, 'utf8'), readManifest(dist));
  const renderer = await loadRenderer(path.join(dist, 'server', 'entry-server.js'), log);
  const reads = renderer ? pageReads(app, renderer.ReadRefused) : null;

  const prefix = `/${opts.apiPrefix}`;
  const isApiPath = (p: string) => p.startsWith(`${prefix}/`) || p === prefix || p.startsWith('/socket.io');
  // The renderer's own files are the server's, not the browser's.
  const isServerFile = (p: string) => p.startsWith('/server/') || p === '/server';
  const compress = compression();
  const assets = express.static(dist, {
    index: false,
    maxAge: '1h',
    setHeaders: (res, file) => {
      if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  // Compressed, and never consulted for API paths (a disk lookup per API request otherwise).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isApiPath(req.path)) return next();
    compress(req, res, () => (isServerFile(req.path) ? next() : assets(req, res, next)));
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    // Pages carry live data and the reader's language: always revalidated, never shared across languages.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Vary', 'Accept-Language, Cookie');
    if (!renderer || !reads) return void res.status(200).send(template.shell());
    const url = req.originalUrl;
    const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
    const lang = renderer.pickLanguage({ query, cookie: (req.cookies as Record<string, string> | undefined)?.lang ?? null, acceptLanguage: req.headers['accept-language'] ?? null });
    renderer
      .render({ url, lang, reads })
      .then((page) => res.status(page?.status ?? 200).send(page ? template.page(page) : template.shell()))
      .catch((err: unknown) => {
        log.error({ err, url: req.path }, 'server rendering failed; serving the shell');
        if (!res.headersSent) res.status(200).send(template.shell());
      });
  });
}

async function loadRenderer(file: string, log: Logger): Promise<WebRenderer | null> {
  if (!existsSync(file)) {
    log.warn({ file }, 'no server-rendering build: pages render in the browser only');
    return null;
  }
  try {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as WebRenderer;
    await mod.prepare();
    return mod;
  } catch (err) {
    log.error({ err, file }, 'the server-rendering build could not be loaded: pages render in the browser only');
    return null;
  }
}

function readManifest(dist: string): Record<string, ManifestChunk> {
  const file = path.join(dist, '.vite', 'manifest.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ManifestChunk>;
}

export interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}
