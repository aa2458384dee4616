import type { LocalizedText } from '@forum/shared';
import type { TextMode } from '../hooks/use-text-mode';

/** A short text (a title) in the chosen language(s); in "both" the English follows the Chinese. */
export function Localized({ text, mode, as: Tag = 'span' }: { text: LocalizedText; mode: TextMode; as?: 'span' | 'div' }) {
  if (mode === 'zh') return <Tag lang="zh-CN">{text.zh}</Tag>;
  if (mode === 'en') return <Tag lang="en">{text.en || text.zh}</Tag>;
  return (
    <Tag className="localized-both">
      <span lang="zh-CN">{text.zh}</span>
      {text.en ? (
        <span lang="en" className="localized-second">
          {text.en}
        </span>
      ) : null}
    </Tag>
  );
}
