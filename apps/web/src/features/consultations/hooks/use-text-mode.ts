import { useUiLanguage } from '../../../i18n/use-language';
import { usePreference } from '../../../lib/storage';

/**
 * How the document's text is shown: Chinese, English, or both side by side (kept across visits).
 * Until one is chosen: both in the Chinese and English interfaces; the English working translation
 * in the others, where the plan has no text of its own.
 */
export const TEXT_MODES = ['zh', 'en', 'both'] as const;
export type TextMode = (typeof TEXT_MODES)[number];

export function useTextMode(): [TextMode, (m: TextMode) => void] {
  const { planInLanguage } = useUiLanguage();
  return usePreference<TextMode>('forum.textMode', TEXT_MODES, planInLanguage ? 'both' : 'en');
}
