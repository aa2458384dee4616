import { useSyncExternalStore } from 'react';

/**
 * Polite announcements for screen readers (new comments, tally changes). One live region in the
 * layout reads them; features call `announce`.
 */
let message = '';
let counter = 0;
const listeners = new Set<() => void>();

export function announce(text: string): void {
  counter += 1;
  // Appending an invisible counter makes a repeated message still count as a change.
  message = `${text}${'\u200b'.repeat(counter % 2)}`;
  for (const fn of listeners) fn();
}

export function useAnnouncement(): string {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => message,
    () => '', // the server, and the render that takes its HTML over, announce nothing
  );
}
