import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { announce } from '../../../lib/announce';
import { formatDateTime } from '../../../lib/format';
import { useLockItem } from '../api/lock-item';
import { useModerateComment, type CommentAction } from '../api/moderate-comment';
import { useSuspendUser } from '../api/suspend-user';
import type { CaseData } from './comment-case';

/** Today as YYYY-MM-DD in the moderator's time zone: the earliest last day of a suspension. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The actions on one case, all under one required reason: hide or restore the comment, dismiss
 * its flags, lock or unlock its item, suspend its author through a date or lift the suspension.
 * Nothing here changes anyone's words.
 */
export function ActionPanel({ data, onDone }: { data: CaseData; onDone: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  const { comment: c, context } = data;
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [problem, setProblem] = useState<'reason' | 'until' | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const untilRef = useRef<HTMLInputElement>(null);
  const ids = { reason: useId(), reasonHint: useId(), reasonError: useId(), until: useId(), untilHint: useId(), untilError: useId() };
  const moderate = useModerateComment();
  const lock = useLockItem();
  const suspend = useSuspendUser();
  const busy = moderate.isPending || lock.isPending || suspend.isPending;
  const error = moderate.error ?? lock.error ?? suspend.error;
  const author = c.author.displayName;
  const suspended = !!data.authorSuspendedUntil && Date.parse(data.authorSuspendedUntil) > Date.now();
  const openFlags = data.flagCount ?? data.flags.filter((f) => f.resolution === null).length;

  const reset = () => {
    moderate.reset();
    lock.reset();
    suspend.reset();
  };
  const withReason = (run: (reason: string) => Promise<string>) => {
    reset();
    const r = reason.trim();
    if (!r) {
      setProblem('reason');
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    run(r)
      .then((message) => {
        setReason('');
        setUntil('');
        announce(message);
        onDone(message);
      })
      .catch(() => {
        /* shown below from the mutation's error */
      });
  };
  const onComment = (action: CommentAction) =>
    withReason((r) => moderate.mutateAsync({ id: c.id, action, reason: r }).then(() => t(`moderation.done.${action}`, { id: c.id })));
  const onLock = (locked: boolean) =>
    withReason((r) =>
      lock
        .mutateAsync({ slug: context.consultation.slug, item: context.item.number, locked, reason: r })
        .then(() => t(locked ? 'moderation.done.lock' : 'moderation.done.unlock', { n: context.item.number })),
    );
  const onSuspend = () => {
    if (!until) {
      reset();
      setProblem('until');
      untilRef.current?.focus();
      return;
    }
    withReason((r) =>
      suspend.mutateAsync({ userId: c.author.id, until, reason: r }).then((s) => t('moderation.done.suspend', { name: author, date: formatDateTime(s.suspendedUntil, lang) })),
    );
  };
  const onUnsuspend = () =>
    withReason((r) => suspend.mutateAsync({ userId: c.author.id, until: null, reason: r }).then(() => t('moderation.done.unsuspend', { name: author })));

  return (
    <section className="mod-actions" aria-labelledby={`actions-${c.id}`}>
      <h3 id={`actions-${c.id}`}>{t('moderation.actions', { id: c.id })}</h3>
      <div className="field">
        <label htmlFor={ids.reason}>{t('moderation.reason')}</label>
        <p className="hint" id={ids.reasonHint}>
          {t('moderation.reasonHint')}
        </p>
        <textarea
          id={ids.reason}
          ref={reasonRef}
          rows={2}
          maxLength={1000}
          required
          value={reason}
          aria-invalid={problem === 'reason' || undefined}
          aria-describedby={problem === 'reason' ? `${ids.reasonHint} ${ids.reasonError}` : ids.reasonHint}
          onChange={(e) => {
            setReason(e.target.value);
            if (problem === 'reason') setProblem(null);
          }}
        />
        {problem === 'reason' ? (
          <p className="field-error" id={ids.reasonError} role="alert">
            {t('moderation.reasonRequired')}
          </p>
        ) : null}
      </div>
      <div className="actions">
        {c.status === 'visible' ? (
          <button type="button" className="button-danger" disabled={busy} onClick={() => onComment('hide')}>
            {t('moderation.hide')}
          </button>
        ) : null}
        {c.status === 'hidden' ? (
          <button type="button" disabled={busy} onClick={() => onComment('restore')}>
            {t('moderation.restore')}
          </button>
        ) : null}
        {openFlags > 0 ? (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => onComment('dismiss')}>
            {t('moderation.dismiss')}
          </button>
        ) : null}
        <button type="button" className="button-secondary" disabled={busy} onClick={() => onLock(!context.item.locked)}>
          {context.item.locked ? t('moderation.unlock', { n: context.item.number }) : t('moderation.lock', { n: context.item.number })}
        </button>
      </div>
      <div className="mod-suspend">
        <div className="field">
          <label htmlFor={ids.until}>{t('moderation.suspendUntil')}</label>
          <input
            id={ids.until}
            ref={untilRef}
            type="date"
            min={today()}
            value={until}
            aria-invalid={problem === 'until' || undefined}
            aria-describedby={problem === 'until' ? `${ids.untilHint} ${ids.untilError}` : ids.untilHint}
            onChange={(e) => {
              setUntil(e.target.value);
              if (problem === 'until') setProblem(null);
            }}
          />
          <p className="hint" id={ids.untilHint}>
            {t('moderation.suspendUntilHint')}
          </p>
          {problem === 'until' ? (
            <p className="field-error" id={ids.untilError} role="alert">
              {t('moderation.dateRequired')}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <button type="button" className="button-danger" disabled={busy} onClick={onSuspend}>
            {t('moderation.suspend', { name: author })}
          </button>
          {suspended ? (
            <button type="button" className="button-secondary" disabled={busy} onClick={onUnsuspend}>
              {t('moderation.unsuspend', { name: author })}
            </button>
          ) : null}
        </div>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
