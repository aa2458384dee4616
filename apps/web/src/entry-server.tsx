import type { CommentsPage, ConsultationSummary, ConsultationTallyView, ErrorBody, TallyView } from '@forum/shared';
import { dehydrate, type Query } from '@tanstack/react-query';
import { StrictMode, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { createStaticHandler, createStaticRouter, StaticRouterProvider, type StaticHandlerContext } from 'react-router';
import { AppProviders } from './app/providers';
import { lazyPagesFor, routes } from './app/router';
import { ServerTitleContext } from './components/ui/use-document-title';
import { preloadMarkdown } from './features/discussion/components/comment-body';
import { consultationKey, type ConsultationDocument } from './features/consultations/api/get-consultation';
import { consultationsQuery } from './features/consultations/api/get-consultations';
import { threadKey, type ThreadData } from './features/discussion/api/get-comments';
import { consultationTallyKey } from './features/positions/api/get-consultation-tally';
import { itemTallyKey } from './features/positions/api/get-item-tally';
import { everyoneTallyKey } from './features/report/api/get-everyone-tally';
import { createI18n, dirOf, LANG_TAG, loadAllLanguages, type UiLanguage } from './i18n';
import { ApiError } from './lib/api-client';
import { PAGE_STATE_ID, serializePageState } from './lib/page-state';
import { createQueryClient } from './lib/query-client';

/**
 * Server rendering of the web client's routes. The API imports the built file
 * (dist/server/entry-server.js) by its path at start-up and calls `render` for every page request,
 * handing it `reads`: the API's own services, called in-process as a guest (a page request carries
 * no access token). What they return fills the query cache under the keys the pages use; the page
 * renders from it, and the cache goes into the page as JSON for the browser to take over.
 */

/** The language of a request (`?lang=`, the `lang` cookie, Accept-Language), for the API to choose with. */
export { pickLanguage } from './i18n/detect';

/** What a page can read on the server: each the same object the matching GET /api/… answers to a guest. */
export interface ServerReads {
  consultations(): Promise<ConsultationSummary[]>;
  consultation(slug: string): Promise<ConsultationDocument>;
  consultationTally(slug: string, verified: 'verified' | 'any'): Promise<ConsultationTallyView>;
  itemTally(slug: string, item: number): Promise<TallyView>;
  /** One page of an item's thread (the first, or the one `cursor` names). */
  comments(slug: string, item: number, cursor: string | null): Promise<CommentsPage>;
}

/** A read refused as the API would refuse it (e.g. 404 for an unknown consultation): its status and body. */
export class ReadRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

export interface RenderRequest {
  /** Path and query, e.g. /consultations/x/items/13?cursor=abc */
  url: string;
  lang: UiLanguage;
  reads: ServerReads;
}

export interface RenderResult {
  status: number;
  /** The application's markup, for <div id="root">. */
  html: string;
  /** The page's <script type="application/json" id="__forum_state"> element. */
  stateScript: string;
  title: string;
  htmlLang: string;
  dir: 'ltr' | 'rtl';
  /** Source modules of the page's own chunks (Vite manifest keys), whose files and CSS the HTML should preload. */
  modules: string[];
}

/** Loads everything a render may need (every language's strings, every page's chunk), once, at start-up. */
export async function prepare(): Promise<void> {
  await loadAllLanguages();
  await preloadMarkdown();
  await Promise.all(routes.flatMap((r) => r.children ?? []).map((r) => (r.Component as { preload?: () => Promise<void> })?.preload?.()));
}

/**
 * Pages that show nothing before the browser knows who is signed in (the moderators' desk, the
 * profile, administration): the server, which renders as a guest, leaves them to the browser.
 */
const SIGNED_IN_PAGES = new Set(['moderation', 'profile', 'admin']);

/** The page, or null for one the browser draws alone (the caller sends the plain shell). */
export async function render({ url, lang, reads }: RenderRequest): Promise<RenderResult | null> {
  const full = new URL(url, 'http://forum.invalid');
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retry: false } });
  const asApi = <T,>(read: () => Promise<T>) => async (): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      if (err instanceof ReadRefused) throw new ApiError(err.status, err.body);
      throw err;
    }
  };

  const handler = createStaticHandler(routes);
  const context = (await handler.query(new Request(full))) as StaticHandlerContext; // no loaders, so never a redirect Response
  const params = context.matches.at(-1)?.params ?? {};
  const pattern = context.matches.at(-1)?.route.path;
  if (pattern && SIGNED_IN_PAGES.has(pattern)) return null;
  let status = pattern === '*' ? 404 : 200;

  const slug = params.slug ?? '';
  const itemNumber = Number(params.n);
  const goodItem = Number.isInteger(itemNumber) && itemNumber >= 0;
  const prefetches: Promise<unknown>[] = [];
  const prefetch = <T,>(queryKey: readonly unknown[], read: () => Promise<T>) =>
    prefetches.push(client.prefetchQuery({ queryKey, queryFn: asApi(read) }));
  switch (pattern) {
    case undefined:
      if (full.pathname === '/') prefetch(consultationsQuery().queryKey, () => reads.consultations());
      break;
    case 'consultations/:slug':
      prefetch(consultationKey(slug), () => reads.consultation(slug));
      prefetch(consultationTallyKey(slug), () => reads.consultationTally(slug, 'verified'));
      break;
    case 'consultations/:slug/items/:n':
      prefetch(consultationKey(slug), () => reads.consultation(slug));
      if (goodItem) {
        const cursor = full.searchParams.get('cursor');
        prefetch(threadKey(slug, itemNumber), async (): Promise<ThreadData> => {
          const page = await reads.comments(slug, itemNumber, cursor);
          return { comments: page.comments, pendingIds: [], nextCursor: page.nextCursor };
        });
        prefetch(itemTallyKey(slug, itemNumber, null, 'verified'), () => reads.itemTally(slug, itemNumber));
      }
      break;
    case 'consultations/:slug/report': {
      prefetch(consultationKey(slug), () => reads.consultation(slug));
      const any = full.searchParams.get('verified') === 'any';
      prefetch(any ? everyoneTallyKey(slug) : consultationTallyKey(slug), () => reads.consultationTally(slug, any ? 'any' : 'verified'));
      break;
    }
    case 'consultations/:slug/moderation-log':
      prefetch(consultationKey(slug), () => reads.consultation(slug));
      break;
  }
  await Promise.all(prefetches);

  // A 404 is an answer the page shows ("not found") and the browser keeps; any other failure is
  // left out, so both sides draw "loading" and the browser asks again.
  const keep = (q: Query) => q.state.status === 'success' || (q.state.status === 'error' && q.state.error instanceof ApiError && q.state.error.status === 404);
  for (const q of client.getQueryCache().getAll()) if (!keep(q)) client.getQueryCache().remove(q);

  if (slug) {
    const doc = client.getQueryState(consultationKey(slug));
    if (doc?.status === 'error') status = 404;
    if (pattern === 'consultations/:slug/items/:n' && doc?.status === 'success') {
      const items = (doc.data as ConsultationDocument).items;
      if (!items.some((it) => it.number === itemNumber)) status = 404;
    }
  }

  const i18n = createI18n(lang);
  const title = { title: '' };
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderWhole(
    <StrictMode>
      <ServerTitleContext.Provider value={title}>
        <I18nextProvider i18n={i18n}>
          <AppProviders client={client}>
            <StaticRouterProvider router={router} context={context} hydrate={false} />
          </AppProviders>
        </I18nextProvider>
      </ServerTitleContext.Provider>
    </StrictMode>,
  );

  const state = dehydrate(client, { shouldDehydrateQuery: keep, shouldRedactErrors: () => false });
  return {
    status,
    html,
    stateScript: `<script type="application/json" id="${PAGE_STATE_ID}">${serializePageState({ lang, queries: state })}</script>`,
    title: title.title || i18n.t('layout.siteName'),
    htmlLang: LANG_TAG[lang],
    dir: dirOf(lang),
    modules: lazyPagesFor(full.pathname).map((p) => p.moduleId),
  };
}

/**
 * The whole tree as one string. renderToString rather than a stream: the pages' chunks are loaded
 * by `prepare` and their data is in the cache, so nothing suspends, and a stream would add the
 * inline scripts React uses to reveal boundaries, which the CSP (rightly) refuses.
 */
function renderWhole(app: ReactNode): string {
  const html = renderToString(app);
  // A boundary left to the browser (something suspended or threw): the caller serves the plain shell and logs it.
  if (html.includes('<!--$!')) throw new Error('a part of the page did not render on the server');
  return html;
}
