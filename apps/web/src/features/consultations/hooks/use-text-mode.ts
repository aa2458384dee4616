import { usePreference } from '../../../lib/storage';

/** How the document's text is shown: Chinese, English, or both side by side (kept across visits). */
export const TEXT_MODES = ['zh', 'en', 'both'] as const;
export type TextMode = (typeof TEXT_MODES)[number];

export function useTextMode(): [TextMode, (m: TextMode) => void] {
  return usePreference<TextMode>('forum.textMode', TEXT_MODES, 'both');
}
