import type { ConsultationStatus } from '@forum/shared';
import { useTranslation } from 'react-i18next';

/** Whether the figures are final (the consultation is closed) or still moving (open). */
export function ReportStatus({ status }: { status: ConsultationStatus }) {
  const { t } = useTranslation();
  const kind = status === 'closed' ? 'final' : status === 'open' ? 'live' : 'draft';
  return (
    <p className={`report-banner report-banner-${kind}`} data-testid="report-status" data-status={kind}>
      <span className="report-banner-mark" aria-hidden="true">
        {kind === 'final' ? '■' : kind === 'live' ? '●' : '○'}
      </span>
      {t(`report.${kind}`)}
    </p>
  );
}
