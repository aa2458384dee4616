import { useMemo } from 'react';
import { renderMarkdown } from '../markdown';

/** A Markdown body, rendered and sanitised (see markdown.ts). */
export function CommentBody({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className="comment-body prose" dangerouslySetInnerHTML={{ __html: html }} />;
}
