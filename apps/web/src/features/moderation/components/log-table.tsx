import type { ModerationLogEntry, ModerationTarget, PublicModerationLogEntry } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RoleBadge } from '../../../components/ui/badges';
import { formatDateTime } from '../../../lib/format';

type Entry = PublicModerationLogEntry | ModerationLogEntry;

function hasModerator(e: Entry): e is ModerationLogEntry {
  return 'moderator' in e && !!(e as ModerationLogEntry).moderator;
}

function itemHref(target: ModerationTarget): string | null {
  if (!target.consultation || target.item === null) return null;
  const base = `/consultations/${encodeURIComponent(target.consultation)}/items/${target.item}`;
  return target.clause ? `${base}#clause-${target.clause}` : base;
}

/** What an action concerned, in words; a comment links to its thread (public) or to its case (moderators). */
export function TargetText({ target, audience }: { target: ModerationTarget; audience: 'public' | 'moderators' }) {
  const { t } = useTranslation();
  switch (target.type) {
    case 'comment': {
      const text = target.clause
        ? t('moderation.targetCommentClause', { id: target.id, clause: target.clause })
        : t('moderation.targetComment', { id: target.id, item: target.item });
      const href = audience === 'moderators' ? `/moderation?comment=${target.id}` : itemHref(target);
      return (
        <>
          {href ? <Link to={href}>{text}</Link> : text}
          {audience === 'moderators' && target.user ? <span className="muted"> · {target.user.displayName}</span> : null}
        </>
      );
    }
    case 'item': {
      const text = t('moderation.targetItem', { item: target.item });
      const href = itemHref(target);
      return href ? <Link to={href}>{text}</Link> : <>{text}</>;
    }
    case 'user':
      return <>{audience === 'moderators' && target.user ? t('moderation.targetUser', { name: target.user.displayName }) : t('moderation.targetSomeone')}</>;
  }
}

/**
 * The moderation log as a table, newest first. The public audience never gets a moderator
 * column (the public entries carry no moderator, and this does not ask for one).
 */
export function LogTable({ entries, audience, caption }: { entries: Entry[]; audience: 'public' | 'moderators'; caption: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  return (
    <div className="table-scroll">
      <table className="data-table log-table" data-testid={audience === 'public' ? 'public-log' : 'moderation-log'}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('moderation.when')}</th>
            {audience === 'moderators' ? <th scope="col">{t('moderation.moderator')}</th> : null}
            <th scope="col">{t('moderation.action')}</th>
            <th scope="col">{t('moderation.target')}</th>
            <th scope="col">{t('moderation.reasonColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td className="log-when">
                <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
              </td>
              {audience === 'moderators' ? (
                <td>{hasModerator(e) ? (<>{e.moderator.displayName} <RoleBadge role={e.moderator.role} /></>) : null}</td>
              ) : null}
              <td>
                <span className={`badge log-action log-action-${e.action}`}>{t(`moderationActions.${e.action}`)}</span>
              </td>
              <td>
                <TargetText target={e.target} audience={audience} />
                {e.until ? <span className="muted"> {t('moderation.until', { date: formatDateTime(e.until, lang) })}</span> : null}
              </td>
              <td className="log-reason">{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
