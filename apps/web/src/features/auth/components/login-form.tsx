import { loginSchema } from '@forum/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { ApiError } from '../../../lib/api-client';
import { useAuthOptions } from '../api/get-auth-options';
import { useLogin } from '../api/login';
import { useFieldErrors, type FieldErrors } from '../hooks/use-field-errors';
import { Field } from './field';

export function LoginForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const login = useLogin();
  const options = useAuthOptions();
  const fe = useFieldErrors();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = loginSchema.safeParse({ email, password });
    if (!parsed.success) return setErrors(fe.fromZod(parsed.error));
    setErrors({});
    login.mutate(parsed.data, { onSuccess: onDone, onError: (err) => setErrors(fe.fromApi(err)) });
  };
  const bad = login.error instanceof ApiError && login.error.status === 401;

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={t('auth.email')} error={errors.email}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      <Field label={t('auth.password')} error={errors.password}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      {bad ? (
        <p className="notice notice-error" role="alert">
          {t('auth.badCredentials')}
        </p>
      ) : login.isError && !(login.error instanceof ApiError && login.error.status === 400) ? (
        <ErrorNotice error={login.error} />
      ) : null}
      <div className="actions">
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? t('common.sending') : t('auth.signIn')}
        </button>
        {options.data?.passwordResetByEmail ? <Link to="/forgot-password">{t('account.forgotPassword')}</Link> : null}
      </div>
    </form>
  );
}
