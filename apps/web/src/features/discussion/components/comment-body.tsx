import { useEffect, useMemo, useState } from 'react';

type Markdown = typeof import('../markdown');

/**
 * The Markdown renderer (marked and DOMPurify) is a chunk of its own, fetched as the page is
 * taken over rather than before: the server's HTML already holds every body rendered, and
 * hydration keeps that markup as it is (React does not rewrite innerHTML when it hydrates), so
 * the renderer is not on the way to a usable page on a slow link. The server loads it up front
 * (`preloadMarkdown`, from entry-server's `prepare`).
 */
let markdown: Markdown | null = null;
let loading: Promise<Markdown> | null = null;

export function preloadMarkdown(): Promise<Markdown> {
  loading ??= import('../markdown').then((m) => (markdown = m));
  return loading;
}

/** A Markdown body, rendered and sanitised (see markdown.ts). */
export function CommentBody({ source }: { source: string }) {
  const [ready, setReady] = useState(markdown !== null);
  useEffect(() => {
    if (!ready) void preloadMarkdown().then(() => setReady(true));
  }, [ready]);
  // Until the renderer is here: the server's markup, kept by hydration (or, for a comment that
  // arrived live in that moment, nothing for a few milliseconds).
  const html = useMemo(() => (ready && markdown ? markdown.renderMarkdown(source) : ''), [ready, source]);
  return <div className="comment-body prose" dangerouslySetInnerHTML={{ __html: html }} />;
}
