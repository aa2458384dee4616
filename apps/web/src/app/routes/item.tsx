import type { Language, QuoteSelector } from '@forum/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../i18n/detect';
import { Link, useParams } from 'react-router';
import { ErrorNotice } from '../../components/ui/error-notice';
import { CommentIcon } from '../../components/ui/icons';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { useConsultation } from '../../features/consultations/api/get-consultation';
import { ClauseList, clauseElementId } from '../../features/consultations/components/clause-list';
import { ItemTitle } from '../../features/consultations/components/item-heading';
import { Localized } from '../../features/consultations/components/localized';
import { TextModeSwitch } from '../../features/consultations/components/text-mode-switch';
import { documentLiveHandlers } from '../../features/consultations/hooks/document-live-handlers';
import { useClauseHashFocus } from '../../features/consultations/hooks/use-clause-hash-focus';
import { useTextMode } from '../../features/consultations/hooks/use-text-mode';
import { threadKey, useThread } from '../../features/discussion/api/get-comments';
import { countVisible } from '../../features/discussion/build-thread';
import { Discussion } from '../../features/discussion/components/discussion';
import { PassageButton } from '../../features/discussion/components/passage-button';
import { discussionLiveHandlers } from '../../features/discussion/hooks/discussion-live-handlers';
import { usePassageSelection } from '../../features/discussion/hooks/use-passage-selection';
import { ItemTally } from '../../features/positions/components/item-tally';
import { PositionPanel } from '../../features/positions/components/position-panel';
import { tallyLiveHandlers } from '../../features/positions/hooks/tally-live-handlers';
import { useMe } from '../../lib/session';
import { isNotFound } from '../../lib/api-client';
import { NotFoundRoute } from './not-found';
import { mergeHandlers, subscribeLive } from '../../lib/socket';

/** One item: its clauses (choose one, or a passage, to comment on), positions and tally, the thread — all live. */
export default function ItemRoute() {
  const params = useParams();
  const slug = params.slug ?? '';
  const itemNumber = Number(params.n);
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { me } = useMe();
  const doc = useConsultation(slug);
  const thread = useThread(qc, slug, itemNumber);
  const [mode, setMode] = useTextMode();
  const [clauseKey, setClauseKey] = useState<string | null>(null);
  const [quote, setQuote] = useState<QuoteSelector | null>(null);
  const [viewers, setViewers] = useState<number | null>(null);
  const [connected, setConnected] = useState(true);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const meId = useRef<string | null>(null);
  meId.current = me?.id ?? null;

  const item = doc.data?.items.find((it) => it.number === itemNumber);
  useClauseHashFocus(!!item);
  const title = item ? (planLanguage(i18n.resolvedLanguage) === 'en' ? item.title.en || item.title.zh : item.title.zh) : undefined;
  useDocumentTitle(title);

  // Reset the reader's choices when moving to another item.
  useEffect(() => {
    setClauseKey(null);
    setQuote(null);
    setViewers(null);
  }, [slug, itemNumber]);

  // One live subscription for the page; each feature maps its events to the cache.
  useEffect(() => {
    if (!Number.isInteger(itemNumber)) return;
    return subscribeLive(
      { consultation: slug, item: itemNumber },
      mergeHandlers(
        discussionLiveHandlers(qc, slug, itemNumber, () => meId.current, t),
        tallyLiveHandlers(qc, slug, t, itemNumber),
        documentLiveHandlers(qc, slug),
        {
          presence: (p) => setViewers(p.viewers),
          connection: setConnected,
          synced: ({ initial }) => {
            // Close the gap between the first page load and the subscription; later gaps are replayed by `since`.
            if (initial) {
              void qc.invalidateQueries({ queryKey: threadKey(slug, itemNumber) });
              void qc.invalidateQueries({ queryKey: ['tally', slug, itemNumber] });
            }
          },
        },
      ),
    );
  }, [slug, itemNumber, qc, t]);

  const clauseText = useCallback(
    (key: string, lang: Language) => item?.clauses.find((c) => c.key === key)?.text[lang],
    [item],
  );
  const { passage, clear: clearPassage } = usePassageSelection(clauseText);

  const counts = useMemo(() => (thread.data ? countVisible(thread.data.comments) : null), [thread.data]);

  const focusComposer = () => requestAnimationFrame(() => composerRef.current?.focus({ preventScroll: false }));
  const selectClause = (key: string) => {
    setClauseKey((cur) => (cur === key ? null : key));
    setQuote(null);
  };
  const scrollToClause = (key: string) => {
    const el = document.getElementById(clauseElementId(key));
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  };

  if (doc.isPending) return <Loading />;
  if (doc.isError) return isNotFound(doc.error) ? <NotFoundRoute /> : <ErrorNotice error={doc.error} onRetry={() => void doc.refetch()} />;
  const d = doc.data;
  if (!item) {
    return (
      <section className="page narrow">
        <h1>{t('notFound.title')}</h1>
        <p>{t('document.noSuchItem', { n: params.n })}</p>
        <Link to={`/consultations/${slug}`}>{t('document.backToDocument')}</Link>
      </section>
    );
  }

  const closedReason =
    d.status !== 'open' ? t('discussion.consultationClosed', { status: t(`consultations.status.${d.status}`) }) : item.locked ? t('discussion.locked') : null;
  const index = d.items.indexOf(item);
  const prev = d.items[index - 1];
  const next = d.items[index + 1];

  return (
    <article className={`page item-page ${mode === 'both' ? 'wide' : 'reading'}`}>
      <nav className="breadcrumb" aria-label={t('document.breadcrumb')}>
        <Link to={`/consultations/${slug}`}>
          <Localized text={d.title} mode={mode === 'both' ? planLanguage(i18n.resolvedLanguage) : mode} />
        </Link>
      </nav>
      <header className="doc-header">
        <h1 className="item-title">
          <ItemTitle item={item} mode={mode} />
        </h1>
        <div className="doc-tools">
          <TextModeSwitch value={mode} onChange={setMode} />
          {item.locked ? <span className="badge badge-locked">{t('discussion.lockedBadge')}</span> : null}
        </div>
      </header>

      <section aria-label={t('document.clauses')}>
        <ClauseList
          clauses={item.clauses}
          mode={mode}
          selectedKey={clauseKey}
          onSelect={selectClause}
          renderAside={(c) => {
            const n = counts ? (counts.byClause.get(c.key) ?? 0) : c.commentCount;
            return (
              <button
                type="button"
                className="clause-comments"
                aria-label={t('discussion.commentOnClauseCount', { clause: c.key, count: n ?? 0 })}
                onClick={() => {
                  setClauseKey(c.key);
                  setQuote(null);
                  focusComposer();
                }}
              >
                <CommentIcon /> {n ?? ''}
              </button>
            );
          }}
        />
      </section>
      <PassageButton
        passage={passage}
        onChoose={(p) => {
          setClauseKey(p.clauseKey);
          setQuote(p.quote);
          clearPassage();
          focusComposer();
        }}
      />

      <nav className="item-pager" aria-label={t('document.itemPager')}>
        {prev ? (
          <Link to={`/consultations/${slug}/items/${prev.number}`} rel="prev">
            <span className="dir-arrow" aria-hidden="true">←</span> {prev.number === 0 ? t('document.preamble') : t('document.itemNumber', { n: prev.number })}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/consultations/${slug}/items/${next.number}`} rel="next">
            {t('document.itemNumber', { n: next.number })} <span className="dir-arrow" aria-hidden="true">→</span>
          </Link>
        ) : null}
      </nav>

      <section className="positions" aria-labelledby="positions-title">
        <h2 id="positions-title">{t('positions.heading')}</h2>
        <div className="positions-grid">
          <PositionPanel slug={slug} item={itemNumber} clauseKey={clauseKey} me={me} closedReason={closedReason} />
          <ItemTally slug={slug} item={itemNumber} clause={clauseKey} />
        </div>
      </section>

      <Discussion
        slug={slug}
        item={itemNumber}
        me={me}
        closedReason={closedReason}
        anchor={{ clauseKey, quote }}
        onClearQuote={() => setQuote(null)}
        onClearClause={() => {
          setClauseKey(null);
          setQuote(null);
        }}
        filterClause={clauseKey}
        onShowAll={() => {
          setClauseKey(null);
          setQuote(null);
        }}
        onAnchorClick={scrollToClause}
        composerRef={composerRef}
        viewers={viewers}
        connected={connected}
      />
    </article>
  );
}
