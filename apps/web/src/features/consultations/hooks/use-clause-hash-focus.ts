import { useEffect } from 'react';
import { useLocation } from 'react-router';

/**
 * `#clause-13.2` in the URL: once the text is on the page, scroll the clause into view and move
 * the keyboard focus to it (the element has a tabIndex), on first load and on every hash change.
 */
export function useClauseHashFocus(ready: boolean): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || !hash.startsWith('#clause-')) return;
    let id: string;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return;
    }
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
    el.classList.add('targeted');
    const timer = window.setTimeout(() => el.classList.remove('targeted'), 2500);
    return () => window.clearTimeout(timer);
  }, [ready, hash]);
}
