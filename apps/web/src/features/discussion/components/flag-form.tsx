import { FLAG_REASONS, type FlagReason } from '@forum/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { ApiError } from '../../../lib/api-client';
import { useFlagComment } from '../api/flag-comment';

/** Report a comment to the moderators with a reason and an optional note. */
export function FlagForm({ commentId, onDone }: { commentId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<FlagReason>('spam');
  const [note, setNote] = useState('');
  const flag = useFlagComment();
  const id = useId();

  if (flag.isSuccess) return <p className="notice" role="status">{t('discussion.flagged')}</p>;
  if (flag.error instanceof ApiError && flag.error.status === 409) return <p className="notice" role="status">{t('discussion.alreadyFlagged')}</p>;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    flag.mutate({ id: commentId, reason, note: note.trim() || null });
  };
  return (
    <form className="flag-form" onSubmit={submit}>
      <fieldset>
        <legend>{t('discussion.flagWhy')}</legend>
        {FLAG_REASONS.map((r) => (
          <label key={r} className="check">
            <input type="radio" name={`${id}-reason`} value={r} checked={reason === r} onChange={() => setReason(r)} />
            {t(`flagReasons.${r}`)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('discussion.flagNote')}</label>
        <textarea id={`${id}-note`} rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {flag.isError ? <ErrorNotice error={flag.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={flag.isPending}>
          {t('discussion.flagSend')}
        </button>
        <button type="button" className="button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
