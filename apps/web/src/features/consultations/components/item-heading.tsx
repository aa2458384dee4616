import { useTranslation } from 'react-i18next';
import type { ItemWithCount } from '../api/get-consultation';
import type { TextMode } from '../hooks/use-text-mode';
import { Localized } from './localized';

/** "Item 13" (or "Preamble") and the item's title in the chosen language(s). */
export function ItemLabel({ number }: { number: number }) {
  const { t } = useTranslation();
  return <span className="item-number">{number === 0 ? t('document.preamble') : t('document.itemNumber', { n: number })}</span>;
}

export function ItemTitle({ item, mode }: { item: ItemWithCount; mode: TextMode }) {
  return (
    <>
      {/* The preamble's title already says "Preamble". */}
      {item.number === 0 ? null : <ItemLabel number={item.number} />}
      <Localized text={item.title} mode={mode} />
    </>
  );
}
