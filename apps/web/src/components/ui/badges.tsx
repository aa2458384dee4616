import type { ConsultationStatus, Role, StakeholderGroup } from '@forum/shared';
import { useTranslation } from 'react-i18next';

/** A stakeholder group as a labelled badge; the shape of the mark differs per group, so it reads without colour. */
export function GroupBadge({ group }: { group: StakeholderGroup }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-group badge-${group}`} title={t(`groups.${group}.description`)}>
      {t(`groups.${group}.label`)}
    </span>
  );
}

export function VerifiedMark({ verified }: { verified: boolean }) {
  const { t } = useTranslation();
  if (!verified) return null;
  return (
    <span className="verified" title={t('participants.verifiedHint')}>
      <span aria-hidden="true">✓</span> {t('participants.verified')}
    </span>
  );
}

export function StatusBadge({ status }: { status: ConsultationStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge-status badge-${status}`}>{t(`consultations.status.${status}`)}</span>;
}

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  if (role === 'participant') return null;
  return <span className={`badge badge-role badge-${role}`}>{t(`roles.${role}`)}</span>;
}
