import { quoteFromRange, type Language, type QuoteSelector } from '@forum/shared';

export interface PassageSelection {
  clauseKey: string;
  quote: QuoteSelector;
  /** Where the selection is on screen, to place the "comment on this passage" button. */
  rect: { top: number; left: number; bottom: number; right: number };
}

/**
 * The quote selector of a text selection that lies within one clause's text element
 * (`[data-clause-key][data-lang]`, holding exactly the clause text), or null. Offsets are
 * UTF-16 indices into that clause text; surrounding white space is left out of the quote.
 */
export function passageFromSelection(sel: Selection | null, clauseText: (key: string, lang: Language) => string | undefined): PassageSelection | null {
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const holder = (n: Node) => (n.nodeType === Node.ELEMENT_NODE ? (n as Element) : n.parentElement)?.closest<HTMLElement>('[data-clause-key][data-lang]');
  const el = holder(range.startContainer);
  if (!el || el !== holder(range.endContainer)) return null;
  const key = el.dataset.clauseKey!;
  const lang = el.dataset.lang === 'en' ? 'en' : 'zh';
  const text = clauseText(key, lang);
  if (text === undefined || el.textContent !== text) return null;

  const before = document.createRange();
  before.selectNodeContents(el);
  before.setEnd(range.startContainer, range.startOffset);
  let start = before.toString().length;
  let end = start + range.toString().length;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const quote = quoteFromRange(text, lang, start, end);
  if (!quote) return null;
  const r = range.getBoundingClientRect();
  return { clauseKey: key, quote, rect: { top: r.top, left: r.left, bottom: r.bottom, right: r.right } };
}
