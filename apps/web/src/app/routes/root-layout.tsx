import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { HydrationGate } from '../../components/ui/hydration-gate';
import { LanguageSwitch } from '../../components/ui/language-switch';
import { LiveAnnouncer } from '../../components/ui/live-announcer';
import { Loading } from '../../components/ui/loading';
import { useLogout } from '../../features/auth/api/logout';
import { NotificationsIndicator } from '../../features/notifications/components/notifications-indicator';
import { HydrationMark } from '../../lib/hydration';
import { isModeratorRole, useMe } from '../../lib/session';

/** Scroll to the top on a new page; a URL with a #fragment is left to the page, which knows its anchors. */
function useScrollOnNavigate(): void {
  const { pathname, hash } = useLocation();
  useEffect(() => {
    if (!hash) window.scrollTo(0, 0);
  }, [pathname, hash]);
}

export function RootLayout() {
  const { t } = useTranslation();
  const { me } = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  useScrollOnNavigate();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('layout.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to="/" className="site-name">
            {t('layout.siteName')}
          </Link>
          <nav aria-label={t('layout.mainNav')} className="site-nav">
            <ul>
              <li>
                <NavLink to="/" end>
                  {t('layout.consultations')}
                </NavLink>
              </li>
              {isModeratorRole(me) ? (
                <li>
                  <NavLink to="/moderation">{t('layout.moderation')}</NavLink>
                </li>
              ) : null}
              {me?.role === 'admin' ? (
                <li>
                  <NavLink to="/admin">{t('layout.admin')}</NavLink>
                </li>
              ) : null}
              {me ? (
                <>
                  <li>
                    <NotificationsIndicator key={me.id} userId={me.id} />
                  </li>
                  <li>
                    <NavLink to="/profile" data-testid="nav-profile">
                      {me.displayName}
                    </NavLink>
                  </li>
                  <li>
                    <button
                      type="button"
                      className="button-link"
                      onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/') })}
                    >
                      {t('layout.signOut')}
                    </button>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <NavLink to="/login">{t('layout.signIn')}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/register">{t('layout.register')}</NavLink>
                  </li>
                </>
              )}
            </ul>
          </nav>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <HydrationGate>
          <Suspense fallback={<Loading />}>
            <Outlet />
            <HydrationMark />
          </Suspense>
        </HydrationGate>
      </main>
      <footer className="site-footer">
        <p>{t('layout.footer')}</p>
        {t('meta.translation') === 'working' ? (
          <p className="translation-note" data-testid="translation-note">
            {t('layout.translationNote')}
          </p>
        ) : null}
      </footer>
      <LiveAnnouncer />
    </div>
  );
}
