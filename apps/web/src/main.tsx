import './lib/zod-csp';
import { hydrate } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { App } from './app/app';
import { preloadPagesFor, routes } from './app/router';
import { initI18n, isUiLanguage, loadLanguage } from './i18n';
import { readPageState } from './lib/page-state';
import { createQueryClient } from './lib/query-client';
import './styles/base.css';

/**
 * The server sends every page already drawn, with what it read (see page-state.ts): take it over
 * without redrawing — the same language, the same cache, the page's chunk loaded before React
 * starts — then the page's effects start the live channel.
 */
async function start(): Promise<void> {
  const root = document.getElementById('root')!;
  const state = readPageState(document);
  const lang = state && isUiLanguage(state.lang) ? state.lang : undefined;
  const client = createQueryClient();
  if (state) hydrate(client, state.queries);
  await Promise.all([lang ? loadLanguage(lang).catch(() => undefined) : undefined, preloadPagesFor(location.pathname).catch(() => undefined)]);
  initI18n(lang);
  const router = createBrowserRouter(routes);
  const app = (
    <StrictMode>
      <App router={router} client={client} />
    </StrictMode>
  );
  if (state && root.firstElementChild) hydrateRoot(root, app, { onRecoverableError: reportHydrationProblem });
  else createRoot(root).render(app);
}

/** A mismatch between the server's HTML and the first render is a bug: say so where tests look (the console). */
function reportHydrationProblem(error: unknown): void {
  console.error('hydration:', error instanceof Error ? error.message : error);
}

void start();
