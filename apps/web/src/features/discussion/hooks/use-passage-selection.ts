import type { Language } from '@forum/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { passageFromSelection, type PassageSelection } from '../quote-from-selection';

/**
 * The passage of clause text the reader has selected (mouse, keyboard or touch), if it lies in
 * one clause; recomputed on every selection change.
 */
export function usePassageSelection(clauseText: (key: string, lang: Language) => string | undefined): {
  passage: PassageSelection | null;
  clear: () => void;
} {
  const [passage, setPassage] = useState<PassageSelection | null>(null);
  const lookup = useRef(clauseText);
  lookup.current = clauseText;

  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setPassage(passageFromSelection(document.getSelection(), (k, l) => lookup.current(k, l))));
    };
    document.addEventListener('selectionchange', update);
    window.addEventListener('scroll', update, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('selectionchange', update);
      window.removeEventListener('scroll', update);
    };
  }, []);

  const clear = useCallback(() => {
    document.getSelection()?.removeAllRanges();
    setPassage(null);
  }, []);
  return { passage, clear };
}
