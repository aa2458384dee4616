import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CommentIcon } from '../../../components/ui/icons';
import type { ConsultationDocument, ItemWithCount } from '../api/get-consultation';
import type { TextMode } from '../hooks/use-text-mode';
import { ClauseList } from './clause-list';
import { ItemTitle } from './item-heading';

/** The whole document: every item with its clauses; `renderItemMeta` adds what other features know (support, comments). */
export function DocumentView({
  doc,
  mode,
  renderItemMeta,
}: {
  doc: ConsultationDocument;
  mode: TextMode;
  renderItemMeta?: (item: ItemWithCount) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={`document mode-${mode}`}>
      {doc.items.map((item) => {
        const href = `/consultations/${doc.slug}/items/${item.number}`;
        return (
          <section key={item.number} className="doc-item" id={`item-${item.number}`} aria-labelledby={`item-${item.number}-title`}>
            <h2 id={`item-${item.number}-title`} className="item-title">
              <Link to={href}>
                <ItemTitle item={item} mode={mode} />
              </Link>
            </h2>
            {renderItemMeta ? <div className="item-meta">{renderItemMeta(item)}</div> : null}
            <ClauseList
              clauses={item.clauses}
              mode={mode}
              renderAside={(c) =>
                c.commentCount ? (
                  <Link
                    to={`${href}#clause-${c.key}`}
                    className="clause-comments"
                    aria-label={t('document.clauseComments', { clause: c.key, count: c.commentCount })}
                  >
                    <CommentIcon /> {c.commentCount}
                  </Link>
                ) : null
              }
            />
            <p className="item-discuss">
              <Link to={href} className="button-secondary">
                {typeof item.commentCount === 'number'
                  ? t('document.discussItemCount', { n: item.number, count: item.commentCount })
                  : t('document.discussItem', { n: item.number })}
              </Link>
            </p>
          </section>
        );
      })}
    </div>
  );
}
