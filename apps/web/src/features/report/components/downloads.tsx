import { useTranslation } from 'react-i18next';
import { exportUrl } from '../api/export-url';

/** CSV and JSON of the positions and comments (moderation applied, no e-mail addresses). */
export function Downloads({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const links = [
    { href: exportUrl(slug, 'csv', 'positions'), label: t('report.csvPositions'), id: 'csv-positions' },
    { href: exportUrl(slug, 'csv', 'comments'), label: t('report.csvComments'), id: 'csv-comments' },
    { href: exportUrl(slug, 'json', 'all'), label: t('report.jsonAll'), id: 'json-all' },
  ];
  return (
    <>
      <p className="muted">{t('report.downloadsHint')}</p>
      <ul className="report-downloads">
        {links.map((l) => (
          <li key={l.id}>
            <a href={l.href} download data-testid={`download-${l.id}`}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
