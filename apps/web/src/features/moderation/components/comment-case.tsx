import type { CommentView, FlagView, ModerationContext, ModerationLogEntry } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../../i18n/detect';
import { Link } from 'react-router';
import { GroupBadge, VerifiedMark } from '../../../components/ui/badges';
import { formatDateTime } from '../../../lib/format';
import { ActionPanel } from './action-panel';

/** What a moderator needs to judge one comment: the comment with its full text, where it sits, the flags, the records. */
export interface CaseData {
  comment: CommentView;
  context: ModerationContext;
  flags: FlagView[];
  /** Open flags (queue entries); computed from `flags` otherwise. */
  flagCount?: number;
  lastFlaggedAt?: string;
  /** This comment's own moderation history (the detail view). */
  history?: ModerationLogEntry[];
  authorHistory: ModerationLogEntry[];
  authorSuspendedUntil: string | null;
}

export function CommentCase({ data, onDone, headingLevel = 2 }: { data: CaseData; onDone: (message: string) => void; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  const plan = planLanguage(lang);
  const { comment: c, context } = data;
  const openFlags = data.flagCount ?? data.flags.filter((f) => f.resolution === null).length;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const threadHref = `/consultations/${encodeURIComponent(context.consultation.slug)}/items/${context.item.number}${c.clauseKey ? `#clause-${c.clauseKey}` : ''}`;
  const local = (text: { zh: string; en: string }) => (plan === 'en' ? text.en || text.zh : text.zh);
  const headingId = `case-${c.id}-title`;

  return (
    <article className="mod-case" aria-labelledby={headingId} data-testid="mod-case" data-comment-id={c.id}>
      <header className="mod-case-head">
        <H id={headingId}>{t('moderation.commentNumber', { id: c.id })}</H>
        {openFlags > 0 ? <span className="badge mod-flag-count">{t('moderation.flagCount', { count: openFlags })}</span> : null}
        <span className={`badge mod-status mod-status-${c.status}`}>
          {t('moderation.status')}: {t(`commentStatus.${c.status}`)}
        </span>
        {data.lastFlaggedAt ? <span className="muted">{t('moderation.lastFlagged', { date: formatDateTime(data.lastFlaggedAt, lang) })}</span> : null}
      </header>

      <p className="mod-author">
        <strong>{c.author.displayName}</strong> <GroupBadge group={c.author.stakeholderGroup} /> <VerifiedMark verified={c.author.verified} />
        {c.author.organization ? <span className="muted"> {c.author.organization}</span> : null}{' '}
        <time className="muted" dateTime={c.createdAt}>
          {formatDateTime(c.createdAt, lang)}
        </time>
        {data.authorSuspendedUntil && Date.parse(data.authorSuspendedUntil) > Date.now() ? (
          <span className="badge badge-locked">{t('moderation.suspendedUntil', { date: formatDateTime(data.authorSuspendedUntil, lang) })}</span>
        ) : null}
      </p>

      <section className="mod-context" aria-label={t('moderation.context')}>
        <p className="mod-where">
          <span>{local(context.consultation.title)}</span> ›{' '}
          <span>
            {t('moderation.itemLabel', { n: context.item.number })} {local(context.item.title)}
          </span>
          {context.item.locked ? <span className="badge badge-locked">{t('moderation.itemLocked')}</span> : null} <Link to={threadHref}>{t('moderation.openInThread')}</Link>
        </p>
        {context.clause ? (
          <blockquote className="mod-clause" lang={plan === 'en' ? 'en' : 'zh-CN'}>
            <span className="mod-clause-key">{t('moderation.clauseLabel', { key: context.clause.key })}</span> {local(context.clause.text)}
          </blockquote>
        ) : null}
        {c.quote ? (
          <blockquote className="mod-quote" lang={c.quote.lang === 'zh' ? 'zh-CN' : 'en'}>
            “{c.quote.exact}”
          </blockquote>
        ) : null}
        {context.parent ? (
          <p className="mod-parent">
            {t('moderation.inReplyTo', { name: context.parent.author.displayName })}
            {context.parent.excerpt !== null ? (
              <>
                : <q>{context.parent.excerpt}</q>
              </>
            ) : null}
            {context.parent.status !== 'visible' ? <span className="muted"> ({t('moderation.parentRemoved', { status: t(`commentStatus.${context.parent.status}`) })})</span> : null}
          </p>
        ) : null}
      </section>

      <section className="mod-text-section" aria-label={t('moderation.fullText')}>
        {c.body !== null ? (
          <div className="mod-text" data-testid="mod-text">
            {c.body}
          </div>
        ) : (
          <p className="muted">{t('moderation.noText')}</p>
        )}
        {c.status === 'hidden' && c.hiddenReason ? <p className="muted">{t('discussion.hiddenWithReason', { reason: c.hiddenReason })}</p> : null}
      </section>

      <div className="mod-columns">
        <section aria-labelledby={`${headingId}-flags`}>
          <h3 id={`${headingId}-flags`}>{t('moderation.flags')}</h3>
          {data.flags.length ? (
            <ul className="mod-flags" data-testid="mod-flags">
              {data.flags.map((f) => (
                <li key={f.id}>
                  <strong>{t(`flagReasons.${f.reason}`)}</strong>{' '}
                  <span className="muted">
                    {t('moderation.flaggedBy', { name: f.flagger.displayName })} · {formatDateTime(f.createdAt, lang)}
                  </span>
                  {f.resolution ? <span className="badge">{t(`moderation.resolved.${f.resolution}`)}</span> : null}
                  {f.note ? <p className="mod-flag-note">{f.note}</p> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">—</p>
          )}
        </section>
        <section aria-labelledby={`${headingId}-record`}>
          {data.history ? (
            <>
              <h3 id={`${headingId}-record`}>{t('moderation.commentHistory')}</h3>
              <HistoryList entries={data.history} />
              <h3>{t('moderation.authorHistory')}</h3>
            </>
          ) : (
            <h3 id={`${headingId}-record`}>{t('moderation.authorHistory')}</h3>
          )}
          <HistoryList entries={data.authorHistory} />
        </section>
      </div>

      <ActionPanel data={data} onDone={onDone} />
    </article>
  );
}

function HistoryList({ entries }: { entries: ModerationLogEntry[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  if (!entries.length) return <p className="muted">{t('moderation.noHistory')}</p>;
  return (
    <ul className="mod-history">
      {entries.map((e) => (
        <li key={e.id}>
          <span className="badge">{t(`moderationActions.${e.action}`)}</span>{' '}
          {e.target.type === 'comment' ? <span>{t('moderation.commentNumber', { id: e.target.id })} · </span> : null}
          <span className="muted">
            {formatDateTime(e.at, lang)} · {e.moderator.displayName}
          </span>
          <p className="mod-history-reason">{e.reason}</p>
        </li>
      ))}
    </ul>
  );
}
