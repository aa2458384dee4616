import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { LoginForm } from '../../features/auth/components/login-form';
import { safeNext } from '../../features/auth/hooks/use-field-errors';

export default function LoginRoute() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  useDocumentTitle(t('auth.signInTitle'));
  return (
    <section className="page narrow">
      <h1>{t('auth.signInTitle')}</h1>
      <LoginForm onDone={() => void navigate(next, { replace: true })} />
      <p>
        {t('auth.noAccount')} <Link to={`/register${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>{t('auth.registerLink')}</Link>
      </p>
    </section>
  );
}
