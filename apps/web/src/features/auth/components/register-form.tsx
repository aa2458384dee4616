import { DISPLAY_NAME_MAX, ORGANIZATION_MAX, PASSWORD_MIN, registerSchema, type StakeholderGroup } from '@forum/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { ApiError } from '../../../lib/api-client';
import { useRegister } from '../api/register';
import { useFieldErrors, type FieldErrors } from '../hooks/use-field-errors';
import { CountrySelect } from './country-select';
import { Field } from './field';
import { GroupPicker } from './group-picker';

export function RegisterForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ email: '', password: '', displayName: '', organization: '', country: '' });
  const [group, setGroup] = useState<StakeholderGroup | ''>('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const reg = useRegister();
  const fe = useFieldErrors();
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = registerSchema.safeParse({
      ...form,
      stakeholderGroup: group || undefined,
      organization: form.organization || undefined,
      country: form.country || undefined,
    });
    if (!parsed.success) return setErrors(fe.fromZod(parsed.error));
    setErrors({});
    reg.mutate(parsed.data, {
      onSuccess: onDone,
      onError: (err) => {
        if (err instanceof ApiError && err.status === 409) setErrors({ email: t('auth.emailTaken') });
        else setErrors(fe.fromApi(err));
      },
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={t('auth.displayName')} hint={t('auth.displayNameHint')} error={errors.displayName}>
        {({ id, describedBy, invalid }) => (
          <input id={id} autoComplete="name" maxLength={DISPLAY_NAME_MAX} value={form.displayName} onChange={(e) => set('displayName')(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      <Field label={t('auth.email')} error={errors.email}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="email" autoComplete="email" value={form.email} onChange={(e) => set('email')(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      <Field label={t('auth.password')} hint={t('auth.passwordHint', { min: PASSWORD_MIN })} error={errors.password}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="password" autoComplete="new-password" minLength={PASSWORD_MIN} value={form.password} onChange={(e) => set('password')(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      <GroupPicker value={group} onChange={setGroup} error={errors.stakeholderGroup} />
      <Field label={t('auth.organization')} hint={t('auth.optional')} error={errors.organization}>
        {({ id, describedBy, invalid }) => (
          <input id={id} autoComplete="organization" maxLength={ORGANIZATION_MAX} value={form.organization} onChange={(e) => set('organization')(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>
      <Field label={t('auth.country')} hint={t('auth.optional')} error={errors.country}>
        {({ id, describedBy, invalid }) => <CountrySelect id={id} value={form.country} onChange={set('country')} describedBy={describedBy} invalid={invalid} />}
      </Field>
      <p className="hint">{t('auth.verificationNote')}</p>
      {reg.isError && !(reg.error instanceof ApiError && (reg.error.status === 400 || reg.error.status === 409)) ? <ErrorNotice error={reg.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={reg.isPending}>
          {reg.isPending ? t('common.sending') : t('auth.createAccount')}
        </button>
      </div>
    </form>
  );
}
