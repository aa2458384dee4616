import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Open any comment by its number (a hidden comment has left the queue; this is how to reach it again). */
export function CommentLookup({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const id = useId();
  const n = Number(value);
  const valid = Number.isInteger(n) && n > 0;
  return (
    <form
      className="mod-lookup"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onOpen(n);
      }}
    >
      <label htmlFor={id}>{t('moderation.lookup')}</label>
      <input id={id} type="text" inputMode="numeric" pattern="[0-9]*" size={8} value={value} onChange={(e) => setValue(e.target.value.trim())} />
      <button type="submit" className="button-secondary" disabled={!valid}>
        {t('moderation.lookupButton')}
      </button>
    </form>
  );
}
