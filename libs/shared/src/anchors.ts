import type { QuoteSelector } from './contracts.js';
import type { Language } from './vocabulary.js';
import { itemOfClauseKey } from './vocabulary.js';

/**
 * Anchors of a comment: the whole item, one clause, or a quoted passage inside a clause (the W3C
 * Web Annotation TextQuote + TextPosition selectors). Offsets are JavaScript string indices
 * (UTF-16 code units) into the clause text of the quote's language. The API checks a quote with
 * `quoteProblem`; the web client builds one from a selection with `quoteFromRange`, so both agree.
 */

/** How much context a client records on each side of a quote (the W3C examples use about this much). */
export const QUOTE_CONTEXT_LENGTH = 32;

/**
 * Why a quote does not match the clause text it claims to quote, or null when it matches:
 * `exact` must be exactly `text.slice(start, end)`; a given `prefix` must end right before
 * `start`, a given `suffix` must begin right at `end`.
 */
export function quoteProblem(quote: QuoteSelector, text: string): string | null {
  const { start, end, exact } = quote;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    return 'start and end must be integers with 0 <= start < end';
  }
  if (end > text.length) return `end is beyond the clause text (${text.length} characters)`;
  if (text.slice(start, end) !== exact) return 'exact does not match the clause text at start..end';
  if (quote.prefix !== undefined && quote.prefix !== '' && !text.slice(0, start).endsWith(quote.prefix)) {
    return 'prefix does not match the text before start';
  }
  if (quote.suffix !== undefined && quote.suffix !== '' && !text.slice(end).startsWith(quote.suffix)) {
    return 'suffix does not match the text after end';
  }
  return null;
}

/** The quote of `text.slice(start, end)` with its context, as a client sends it; null for an empty or out-of-range selection. */
export function quoteFromRange(
  text: string,
  lang: Language,
  start: number,
  end: number,
  context = QUOTE_CONTEXT_LENGTH,
): QuoteSelector | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || end <= start) return null;
  // Never split a surrogate pair: widen the selection to whole characters.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start -= 1;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
  let prefixStart = Math.max(0, start - context);
  if (prefixStart > 0 && isLowSurrogate(text.charCodeAt(prefixStart))) prefixStart -= 1;
  let suffixEnd = Math.min(text.length, end + context);
  if (suffixEnd < text.length && isLowSurrogate(text.charCodeAt(suffixEnd))) suffixEnd += 1;
  const quote: QuoteSelector = { lang, exact: text.slice(start, end), start, end };
  const prefix = text.slice(prefixStart, start);
  const suffix = text.slice(end, suffixEnd);
  if (prefix) quote.prefix = prefix;
  if (suffix) quote.suffix = suffix;
  return quote;
}

/**
 * Why a clause key cannot anchor a comment of item `itemNumber`, or null when it belongs to
 * the item as far as its shape tells (whether the clause exists is for the document to say).
 */
export function clauseKeyProblem(key: string, itemNumber: number): string | null {
  const owner = itemOfClauseKey(key);
  if (owner === null) return 'must be a clause key such as 13.2';
  if (owner !== itemNumber) return `clause ${key} belongs to item ${owner}, not item ${itemNumber}`;
  return null;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
