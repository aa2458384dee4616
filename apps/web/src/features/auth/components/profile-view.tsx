import { DISPLAY_NAME_MAX, ORGANIZATION_MAX, updateMeSchema, type StakeholderGroup, type UserView } from '@forum/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { GroupBadge, RoleBadge, VerifiedMark } from '../../../components/ui/badges';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { countryName } from '../../../lib/format';
import { useUpdateProfile } from '../api/update-profile';
import { useFieldErrors, type FieldErrors } from '../hooks/use-field-errors';
import { CountrySelect } from './country-select';
import { Field } from './field';
import { GroupPicker } from './group-picker';

export function ProfileView({ me }: { me: UserView }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ displayName: me.displayName, organization: me.organization ?? '', country: me.country ?? '' });
  const [group, setGroup] = useState<StakeholderGroup>(me.stakeholderGroup);
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdateProfile();
  const fe = useFieldErrors();
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = { displayName: form.displayName, organization: form.organization, country: form.country, ...(group !== me.stakeholderGroup ? { stakeholderGroup: group } : {}) };
    const parsed = updateMeSchema.safeParse(input);
    if (!parsed.success) return setErrors(fe.fromZod(parsed.error));
    setErrors({});
    update.mutate(parsed.data, { onSuccess: () => setEditing(false), onError: (err) => setErrors(fe.fromApi(err)) });
  };

  return (
    <div>
      <dl className="profile">
        <dt>{t('auth.displayName')}</dt>
        <dd data-testid="profile-name">{me.displayName}</dd>
        <dt>{t('auth.email')}</dt>
        <dd>{me.email}</dd>
        <dt>{t('auth.group')}</dt>
        <dd>
          <GroupBadge group={me.stakeholderGroup} /> <VerifiedMark verified={me.verified} />
          {!me.verified ? <span className="muted"> {t('participants.notVerified')}</span> : null}
        </dd>
        <dt>{t('auth.organization')}</dt>
        <dd>{me.organization || '—'}</dd>
        <dt>{t('auth.country')}</dt>
        <dd>{me.country ? countryName(me.country, i18n.resolvedLanguage ?? 'zh') : '—'}</dd>
        {me.role !== 'participant' ? (
          <>
            <dt>{t('participants.role')}</dt>
            <dd>
              <RoleBadge role={me.role} />
            </dd>
          </>
        ) : null}
      </dl>
      {!editing ? (
        <button type="button" onClick={() => setEditing(true)}>
          {t('profile.edit')}
        </button>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <Field label={t('auth.displayName')} error={errors.displayName}>
            {({ id, describedBy, invalid }) => (
              <input id={id} maxLength={DISPLAY_NAME_MAX} value={form.displayName} onChange={(e) => set('displayName')(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
            )}
          </Field>
          <Field label={t('auth.organization')} hint={t('auth.optional')} error={errors.organization}>
            {({ id, describedBy, invalid }) => (
              <input id={id} maxLength={ORGANIZATION_MAX} value={form.organization} onChange={(e) => set('organization')(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
            )}
          </Field>
          <Field label={t('auth.country')} hint={t('auth.optional')} error={errors.country}>
            {({ id, describedBy, invalid }) => <CountrySelect id={id} value={form.country} onChange={set('country')} describedBy={describedBy} invalid={invalid} />}
          </Field>
          <GroupPicker value={group} onChange={setGroup} error={errors.stakeholderGroup} />
          {group !== me.stakeholderGroup && me.verified ? <p className="notice">{t('profile.groupChangeUnverifies')}</p> : null}
          {update.isError ? <ErrorNotice error={update.error} /> : null}
          <div className="actions">
            <button type="submit" disabled={update.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
