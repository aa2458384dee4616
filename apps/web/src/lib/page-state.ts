import type { DehydratedState } from '@tanstack/react-query';
import { ApiError } from './api-client';

/**
 * What the server read to render a page, handed to the browser so that its first render draws the
 * same thing: the interface language and the dehydrated query cache. It travels as JSON in a
 * `<script type="application/json">` element, which the strict CSP allows because it never runs.
 */
export interface PageState {
  lang: string;
  queries: DehydratedState;
}

export const PAGE_STATE_ID = '__forum_state';

/** JSON safe inside a <script> element: no `</script>`, no HTML comment opener, no line separators JavaScript would choke on. */
export function serializePageState(state: PageState): string {
  return JSON.stringify(state)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The page's state, when the server rendered it (null for a page built in the browser alone). */
export function readPageState(doc: Document): PageState | null {
  const el = doc.getElementById(PAGE_STATE_ID);
  if (!el?.textContent) return null;
  try {
    const state = JSON.parse(el.textContent) as PageState;
    return { ...state, queries: reviveErrors(state.queries) };
  } catch {
    return null;
  }
}

/** Errors the server kept (a 404: "no such consultation") become ApiErrors again, as the page's own requests would give. */
function reviveErrors(queries: DehydratedState): DehydratedState {
  return {
    ...queries,
    queries: queries.queries.map((q) => {
      const err = q.state.error as { status?: unknown; body?: unknown } | null;
      if (!err || typeof err !== 'object' || typeof err.status !== 'number') return q;
      return { ...q, state: { ...q.state, error: new ApiError(err.status, (err.body ?? null) as ApiError['body']) } };
    }),
  };
}
