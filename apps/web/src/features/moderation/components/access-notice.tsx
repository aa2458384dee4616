import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/**
 * For someone who may not see the moderators' page: in the interface language and in the other
 * one, since a shared link may reach a reader of either. A guest is offered to sign in.
 */
export function AccessNotice({ signedIn, next }: { signedIn: boolean; next: string }) {
  const { t, i18n } = useTranslation();
  const otherLang = i18n.resolvedLanguage === 'en' ? 'zh' : 'en';
  const other = i18n.getFixedT(otherLang);
  const key = signedIn ? 'moderation.notAllowed' : 'moderation.signInPrompt';
  return (
    <div className="notice" data-testid="moderation-access">
      <p>{t(key)}</p>
      <p className="muted" lang={otherLang === 'zh' ? 'zh-CN' : 'en'}>
        {other(key)}
      </p>
      {signedIn ? null : (
        <p>
          <Link to={`/login?next=${encodeURIComponent(next)}`}>
            {t('layout.signIn')} · <span lang={otherLang === 'zh' ? 'zh-CN' : 'en'}>{other('layout.signIn')}</span>
          </Link>
        </p>
      )}
    </div>
  );
}
