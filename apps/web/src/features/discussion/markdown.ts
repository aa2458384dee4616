import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/**
 * Comment bodies are Markdown as the author wrote it. Raw HTML in them is shown as text (never
 * parsed), images become links (the CSP allows no foreign images, and tracking pixels have no
 * place here), and the result still goes through DOMPurify with a short allow-list, so no
 * markup from a comment ever runs.
 */

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    image({ href, text }: Tokens.Image) {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
  },
});

const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];

let hooked = false;
function ensureHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href') ?? '';
      // Only web and mail links; anything else (javascript:, data:, relative app paths) loses its href.
      if (!SAFE_HREF.test(href)) node.removeAttribute('href');
      node.setAttribute('rel', 'noopener noreferrer nofollow ugc');
    }
  });
}

const SAFE_HREF = /^(https?:|mailto:)/i;

/**
 * The server has no DOM for DOMPurify. There the same allow-list is applied to marked's output
 * directly, which is sound because that output is marked's own markup only: every raw HTML
 * block or tag of the source was escaped by the renderer above, and marked escapes text and
 * attribute values. Tags outside the list are dropped (their text kept, as DOMPurify does), and
 * only `href` (web and mail links) and `title` survive. The browser re-checks with DOMPurify.
 */
function sanitizeOnServer(html: string): string {
  const allowed = new Set(ALLOWED_TAGS);
  return html.replace(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>|</g, (_whole, close: string | undefined, name: string | undefined, attrs: string | undefined) => {
    if (!name) return '&lt;'; // a stray "<": text
    const tag = name.toLowerCase();
    if (!allowed.has(tag)) return '';
    if (close) return `</${tag}>`;
    const kept: string[] = [];
    for (const m of (attrs ?? '').matchAll(/\s([a-zA-Z-]+)="([^"]*)"/g)) {
      const [, attr, value] = m;
      if (attr === 'href' && tag === 'a' && SAFE_HREF.test(value!.replace(/&amp;/g, '&').trim())) kept.push(`href="${value}"`);
      else if (attr === 'title') kept.push(`title="${value}"`);
    }
    if (tag === 'a') kept.push('rel="noopener noreferrer nofollow ugc"');
    return `<${tag}${kept.length ? ` ${kept.join(' ')}` : ''}>`;
  });
}

/** Sanitised HTML for a comment body. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  if (typeof window === 'undefined') return sanitizeOnServer(html);
  ensureHooks();
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
}
