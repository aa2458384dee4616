import { useEffect, useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

/**
 * False on the server and during the browser's first (hydrating) render, true after: what depends
 * on the browser alone (its time zone, its stored preferences) is drawn after hydration, so the
 * first render matches the server's HTML.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * Rendered beside the page: its effect runs once the page is hydrated (and interactive), and marks
 * <html data-hydrated> for whoever needs to know (the browser tests measure time to usable by it).
 */
export function HydrationMark(): null {
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return null;
}

