import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { RegisterForm } from '../../features/auth/components/register-form';
import { safeNext } from '../../features/auth/hooks/use-field-errors';

export default function RegisterRoute() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  useDocumentTitle(t('auth.registerTitle'));
  return (
    <section className="page narrow">
      <h1>{t('auth.registerTitle')}</h1>
      <p className="lead">{t('auth.registerIntro')}</p>
      <RegisterForm onDone={() => void navigate(next, { replace: true })} />
      <p>
        {t('auth.haveAccount')} <Link to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>{t('auth.signInLink')}</Link>
      </p>
    </section>
  );
}
