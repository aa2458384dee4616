import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../i18n/detect';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorNotice } from '../../components/ui/error-notice';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { useConsultation } from '../../features/consultations/api/get-consultation';
import { documentLiveHandlers } from '../../features/consultations/hooks/document-live-handlers';
import { consultationTallyQuery } from '../../features/positions/api/get-consultation-tally';
import { tallyLiveHandlers } from '../../features/positions/hooks/tally-live-handlers';
import { everyoneTallyQuery } from '../../features/report/api/get-everyone-tally';
import { ConsensusMap, type ItemLabels } from '../../features/report/components/consensus-map';
import { CoverageTable } from '../../features/report/components/coverage-table';
import { Downloads } from '../../features/report/components/downloads';
import { Findings } from '../../features/report/components/findings';
import { ReportStatus } from '../../features/report/components/report-status';
import { ScopeSwitch, type ReportScope } from '../../features/report/components/scope-switch';
import { reportLiveHandlers } from '../../features/report/hooks/report-live-handlers';
import { useHydrated } from '../../lib/hydration';
import { mergeHandlers, subscribeLive } from '../../lib/socket';
import '../../styles/report.css';

// recharts is large: the charts load after the tables, in their own chunk.
const StanceCharts = lazy(() => import('../../features/report/components/stance-charts'));

/** The report: the consensus map, divided and consensus items, stacked bars, coverage, downloads — live while open. */
export default function ReportRoute() {
  const { slug = '' } = useParams();
  const hydrated = useHydrated();
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const scope: ReportScope = params.get('verified') === 'any' ? 'any' : 'verified';
  const doc = useConsultation(slug);
  const verifiedTally = useQuery({ ...consultationTallyQuery(slug), enabled: scope === 'verified' });
  const everyoneTally = useQuery({ ...everyoneTallyQuery(slug), enabled: scope === 'any' });
  const tally = scope === 'any' ? everyoneTally : verifiedTally;
  const lang = planLanguage(i18n.resolvedLanguage);
  const docTitle = doc.data ? (lang === 'en' ? doc.data.title.en || doc.data.title.zh : doc.data.title.zh) : undefined;
  useDocumentTitle(docTitle ? `${t('report.title')} · ${docTitle}` : t('report.title'));

  useEffect(() => {
    const report = reportLiveHandlers(qc, slug, t);
    const stop = subscribeLive(
      { consultation: slug },
      mergeHandlers(tallyLiveHandlers(qc, slug, t), documentLiveHandlers(qc, slug), report.handlers, {
        synced: ({ initial }) => {
          // Close the gap between the first load and the subscription; later gaps are replayed by `since`.
          if (initial) void qc.invalidateQueries({ queryKey: ['consultation-tally', slug] });
        },
      }),
    );
    return () => {
      stop();
      report.dispose();
    };
  }, [slug, qc, t]);

  const labels = useMemo<ItemLabels>(() => {
    const byNumber = new Map((doc.data?.items ?? []).map((it) => [it.number, it]));
    const title = (n: number) => {
      const it = byNumber.get(n);
      if (!it) return '';
      return lang === 'en' ? it.title.en || it.title.zh : it.title.zh;
    };
    return {
      title,
      full: (n) => (n === 0 ? title(0) || t('document.preamble') : `${n} · ${title(n)}`),
      name: (n) => (n === 0 ? t('document.preamble') : t('document.itemNumber', { n })),
      href: (n) => `/consultations/${encodeURIComponent(slug)}/items/${n}`,
    };
  }, [doc.data, lang, slug, t]);

  const setScope = (s: ReportScope) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (s === 'any') next.set('verified', 'any');
        else next.delete('verified');
        return next;
      },
      { replace: true },
    );

  if (doc.isPending) return <Loading />;
  if (doc.isError) return <ErrorNotice error={doc.error} onRetry={() => void doc.refetch()} />;
  const status = doc.data.status;
  const scopeLabel = scope === 'any' ? t('report.scopeEveryone') : t('report.scopeVerified');

  return (
    <article className="page wide report-page">
      <nav className="breadcrumb" aria-label={t('document.breadcrumb')}>
        <Link to={`/consultations/${encodeURIComponent(slug)}`}>{docTitle}</Link>
      </nav>
      <header className="report-header">
        <h1>{t('report.title')}</h1>
        <ReportStatus status={status} />
        <p className="lead">{t('report.intro')}</p>
        <ScopeSwitch value={scope} onChange={setScope} />
        <nav className="report-sections" aria-label={t('report.sections')}>
          <a href="#consensus-map">{t('report.consensusMap')}</a>
          <a href="#findings">{t('report.findings')}</a>
          <a href="#charts">{t('report.charts')}</a>
          <a href="#coverage">{t('report.coverage')}</a>
          <a href="#downloads">{t('report.downloads')}</a>
        </nav>
      </header>

      {tally.isPending ? (
        <Loading />
      ) : tally.isError ? (
        <ErrorNotice error={tally.error} onRetry={() => void tally.refetch()} />
      ) : (
        <>
          <section id="consensus-map" className="report-section" aria-labelledby="consensus-map-title">
            <h2 id="consensus-map-title">{t('report.consensusMap')}</h2>
            <p className="muted">{t('report.consensusMapHint')}</p>
            <ConsensusMap items={tally.data.items} labels={labels} caption={`${t('report.mapCaption')} — ${scopeLabel}`} />
          </section>

          <section id="findings" className="report-section" aria-labelledby="findings-title">
            <h2 id="findings-title">{t('report.findings')}</h2>
            <Findings items={tally.data.items} labels={labels} />
          </section>

          <section id="charts" className="report-section" aria-labelledby="charts-title">
            <h2 id="charts-title">{t('report.charts')}</h2>
            <p className="muted">
              {t('report.chartsHint')} {scopeLabel}.
            </p>
            {/* Drawn in the browser only (the server's HTML has the tables): recharts stays out of the page's first chunk. */}
            {hydrated ? (
              <Suspense fallback={<Loading label={t('report.loadingCharts')} />}>
                <StanceCharts items={tally.data.items} labels={labels} />
              </Suspense>
            ) : (
              <Loading label={t('report.loadingCharts')} />
            )}
          </section>

          <section id="coverage" className="report-section" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{t('report.coverage')}</h2>
            <p className="muted">{t('report.coverageHint')}</p>
            <CoverageTable items={tally.data.items} labels={labels} caption={`${t('report.coverageCaption')} — ${scopeLabel}`} />
          </section>
        </>
      )}

      <section id="downloads" className="report-section" aria-labelledby="downloads-title">
        <h2 id="downloads-title">{t('report.downloads')}</h2>
        <Downloads slug={slug} />
      </section>
    </article>
  );
}
