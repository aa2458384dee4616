import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../i18n/detect';
import { Link, useParams } from 'react-router';
import { StatusBadge } from '../../components/ui/badges';
import { ErrorNotice } from '../../components/ui/error-notice';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { useConsultation } from '../../features/consultations/api/get-consultation';
import { DocumentView } from '../../features/consultations/components/document-view';
import { Localized } from '../../features/consultations/components/localized';
import { TextModeSwitch } from '../../features/consultations/components/text-mode-switch';
import { useClauseHashFocus } from '../../features/consultations/hooks/use-clause-hash-focus';
import { documentLiveHandlers } from '../../features/consultations/hooks/document-live-handlers';
import { useTextMode } from '../../features/consultations/hooks/use-text-mode';
import { useConsultationTally } from '../../features/positions/api/get-consultation-tally';
import { SupportAtAGlance } from '../../features/positions/components/support-at-a-glance';
import { tallyLiveHandlers } from '../../features/positions/hooks/tally-live-handlers';
import { mergeHandlers, subscribeLive } from '../../lib/socket';
import { isNotFound } from '../../lib/api-client';
import { NotFoundRoute } from './not-found';

/** The document: every item and clause, each item's balanced support and comment count, live. */
export default function ConsultationRoute() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const doc = useConsultation(slug);
  const tally = useConsultationTally(slug);
  const [mode, setMode] = useTextMode();
  useClauseHashFocus(!!doc.data);
  const title = doc.data ? (planLanguage(i18n.resolvedLanguage) === 'en' ? doc.data.title.en || doc.data.title.zh : doc.data.title.zh) : undefined;
  useDocumentTitle(title);

  useEffect(
    () =>
      subscribeLive(
        { consultation: slug },
        mergeHandlers(documentLiveHandlers(qc, slug), tallyLiveHandlers(qc, slug, t), {
          synced: ({ initial }) => {
            if (initial) void qc.invalidateQueries({ queryKey: ['consultation-tally', slug] });
          },
        }),
      ),
    [slug, qc, t],
  );

  if (doc.isPending) return <Loading />;
  if (doc.isError) return isNotFound(doc.error) ? <NotFoundRoute /> : <ErrorNotice error={doc.error} onRetry={() => void doc.refetch()} />;
  const d = doc.data;
  const tallies = new Map((tally.data?.items ?? []).map((it) => [it.target.item, it]));

  return (
    <article className={`page ${mode === 'both' ? 'wide' : 'reading'}`}>
      <header className="doc-header">
        <h1>
          <Localized text={d.title} mode={mode} as="span" />
        </h1>
        <p className="doc-meta">
          <StatusBadge status={d.status} />
          {d.source && (d.source.zh || d.source.en) ? (
            <span className="doc-source">
              {/* The source line names itself ("来源:…" / "Source: …"), so no label of ours goes before it. */}
              <Localized text={d.source} mode={mode} />
            </span>
          ) : null}
        </p>
        <nav className="doc-tools" aria-label={t('document.tools')}>
          <TextModeSwitch value={mode} onChange={setMode} />
          <Link to={`/consultations/${slug}/report`}>{t('document.report')}</Link>
          <Link to={`/consultations/${slug}/moderation-log`}>{t('document.moderationLog')}</Link>
        </nav>
        <nav className="toc" aria-label={t('document.contents')}>
          <ol>
            {d.items.map((it) => (
              <li key={it.number}>
                <a href={`#item-${it.number}`}>{it.number === 0 ? t('document.preamble') : it.number}</a>
              </li>
            ))}
          </ol>
        </nav>
      </header>
      <DocumentView doc={d} mode={mode} renderItemMeta={(item) => <SupportAtAGlance tally={tallies.get(item.number)} />} />
    </article>
  );
}
