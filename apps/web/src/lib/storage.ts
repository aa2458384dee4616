import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage unavailable
  }
}

/**
 * A string preference kept in localStorage, limited to the allowed values. The server (which has
 * no storage) and the browser's hydrating render draw `fallback`; the saved choice follows at once.
 */
export function usePreference<T extends string>(key: string, allowed: readonly T[], fallback: T): [T, (v: T) => void] {
  const subscribe = useCallback((fn: () => void) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, []);
  const value = useSyncExternalStore(
    subscribe,
    () => {
      const saved = read(key);
      return saved && (allowed as readonly string[]).includes(saved) ? (saved as T) : fallback;
    },
    () => fallback,
  );
  const set = useCallback(
    (v: T) => {
      try {
        localStorage.setItem(key, v);
      } catch {
        /* storage unavailable: the choice lasts while this page shows it */
        memory.set(key, v);
      }
      for (const fn of listeners) fn();
    },
    [key],
  );
  return [(memory.get(key) as T | undefined) ?? value, set];
}

/** Choices made while storage is unavailable (private mode), for this page. */
const memory = new Map<string, string>();
