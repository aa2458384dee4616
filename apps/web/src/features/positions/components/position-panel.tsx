import { STANCES, type PositionView, type Stance, type UserView } from '@forum/shared';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { useWithdrawPosition } from '../api/delete-position';
import { useMyPositions } from '../api/get-my-positions';
import { useTakePosition } from '../api/put-position';

interface PositionPanelProps {
  slug: string;
  item: number;
  /** The clause the reader has chosen, if any: the position can then be on it instead of the item. */
  clauseKey: string | null;
  me: UserView | null;
  /** Writes are refused (consultation not open, item locked): why, for the reader. */
  closedReason: string | null;
}

/** Take, change or withdraw your position in one click; a reason can be added with a second. */
export function PositionPanel({ slug, item, clauseKey, me, closedReason }: PositionPanelProps) {
  const { t } = useTranslation();
  const [onClause, setOnClause] = useState(clauseKey !== null);
  useEffect(() => setOnClause(clauseKey !== null), [clauseKey]);
  const target = onClause && clauseKey ? clauseKey : null;
  const mine = useMyPositions(slug, me?.id ?? null);
  const current: PositionView | undefined = mine.data?.find((p) => p.item === item && p.clauseKey === target);
  const take = useTakePosition(slug, item, me?.id ?? null);
  const withdraw = useWithdrawPosition(slug, item, me?.id ?? null);
  const [reason, setReason] = useState('');
  useEffect(() => setReason(current?.reason ?? ''), [current?.reason, target]);
  const reasonId = useId();
  const headingId = useId();

  if (!me) {
    return (
      <section className="panel position-panel" aria-labelledby={headingId}>
        <h3 id={headingId}>{t('positions.title')}</h3>
        <p>
          <Link to={`/login?next=${encodeURIComponent(`/consultations/${slug}/items/${item}`)}`}>{t('positions.signInToTake')}</Link>
        </p>
      </section>
    );
  }

  const busy = take.isPending || withdraw.isPending;
  const disabled = busy || closedReason !== null;
  const choose = (stance: Stance) => take.mutate({ stance, clauseKey: target, reason: reason || null });
  const reasonChanged = (current?.reason ?? '') !== reason.trim();

  return (
    <section className="panel position-panel" aria-labelledby={headingId} data-testid="position-panel">
      <h3 id={headingId}>{t('positions.title')}</h3>
      {clauseKey ? (
        <div className="segmented" role="group" aria-label={t('positions.target')}>
          <button type="button" aria-pressed={!onClause} onClick={() => setOnClause(false)}>
            {t('positions.onItem', { n: item })}
          </button>
          <button type="button" aria-pressed={onClause} onClick={() => setOnClause(true)}>
            {t('positions.onClause', { clause: clauseKey })}
          </button>
        </div>
      ) : (
        <p className="muted">{t('positions.onItemHint', { n: item })}</p>
      )}
      {closedReason ? <p className="notice">{closedReason}</p> : null}
      <div className="stance-buttons" role="group" aria-label={t('positions.stance')}>
        {STANCES.map((s) => (
          <button
            key={s}
            type="button"
            className={`stance stance-${s}`}
            aria-pressed={current?.stance === s}
            disabled={disabled}
            onClick={() => choose(s)}
          >
            {t(`stances.${s}.label`)}
          </button>
        ))}
      </div>
      <p className="position-current" aria-live="polite">
        {current
          ? t('positions.current', { stance: t(`stances.${current.stance}.label`) })
          : mine.isError
            ? ''
            : t('positions.none')}
      </p>
      <div className="field">
        <label htmlFor={reasonId}>{t('positions.reason')}</label>
        <textarea id={reasonId} rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} disabled={closedReason !== null} />
      </div>
      <div className="actions">
        {current && reasonChanged ? (
          <button type="button" disabled={disabled} onClick={() => choose(current.stance)}>
            {t('positions.saveReason')}
          </button>
        ) : null}
        {current ? (
          <button type="button" className="button-secondary" disabled={disabled} onClick={() => withdraw.mutate(target)}>
            {t('positions.withdraw')}
          </button>
        ) : null}
      </div>
      {take.isError ? <ErrorNotice error={take.error} /> : null}
      {withdraw.isError ? <ErrorNotice error={withdraw.error} /> : null}
    </section>
  );
}
