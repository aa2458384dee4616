import { lazy, type ComponentType, type JSX } from 'react';
import { matchRoutes, type RouteObject } from 'react-router';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';
import { RootLayout } from './routes/root-layout';
import { RouteError } from './routes/route-error';

/** A page in its own chunk that can be loaded ahead of rendering (server, and the browser before hydrating). */
export interface LazyPage {
  (): JSX.Element;
  /** The page's source module, as Vite's manifest names it (the server preloads its chunk and CSS). */
  moduleId: string;
  preload(): Promise<void>;
}

/**
 * Every page but the list of consultations is its own chunk, so the first load stays small. Once
 * loaded (by `preload`, or by React.lazy on a client-side navigation) the page renders without
 * suspending, so the server's HTML and the hydrating browser draw the same tree.
 */
function lazyPage(moduleId: string, load: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | null = null;
  const remember = () => load().then((m) => (loaded = m.default));
  const Lazy = lazy(() => remember().then((C) => ({ default: C })));
  const Page = (() => {
    const C = loaded;
    return C ? <C /> : <Lazy />;
  }) as LazyPage;
  Page.moduleId = moduleId;
  Page.preload = async () => {
    if (!loaded) await remember();
  };
  return Page;
}

const ConsultationRoute = lazyPage('src/app/routes/consultation.tsx', () => import('./routes/consultation'));
const ItemRoute = lazyPage('src/app/routes/item.tsx', () => import('./routes/item'));
const ReportRoute = lazyPage('src/app/routes/report.tsx', () => import('./routes/report'));
const ModerationRoute = lazyPage('src/app/routes/moderation.tsx', () => import('./routes/moderation'));
const ModerationLogRoute = lazyPage('src/app/routes/moderation-log.tsx', () => import('./routes/moderation-log'));
const LoginRoute = lazyPage('src/app/routes/login.tsx', () => import('./routes/login'));
const RegisterRoute = lazyPage('src/app/routes/register.tsx', () => import('./routes/register'));
const ProfileRoute = lazyPage('src/app/routes/profile.tsx', () => import('./routes/profile'));
const AdminRoute = lazyPage('src/app/routes/admin.tsx', () => import('./routes/admin'));
const ResetPasswordRoute = lazyPage('src/app/routes/reset-password.tsx', () => import('./routes/reset-password'));
const ForgotPasswordRoute = lazyPage('src/app/routes/forgot-password.tsx', () => import('./routes/forgot-password'));

/** The route table, shared by the browser router and the server's static handler. */
export const routes: RouteObject[] = [
  {
    path: '/',
    Component: RootLayout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, Component: HomeRoute },
      { path: 'consultations/:slug', Component: ConsultationRoute },
      { path: 'consultations/:slug/items/:n', Component: ItemRoute },
      { path: 'consultations/:slug/report', Component: ReportRoute },
      { path: 'consultations/:slug/moderation-log', Component: ModerationLogRoute },
      { path: 'moderation', Component: ModerationRoute },
      { path: 'login', Component: LoginRoute },
      { path: 'register', Component: RegisterRoute },
      { path: 'profile', Component: ProfileRoute },
      { path: 'admin', Component: AdminRoute },
      { path: 'reset-password', Component: ResetPasswordRoute },
      { path: 'forgot-password', Component: ForgotPasswordRoute },
      { path: '*', Component: NotFoundRoute },
    ],
  },
];

/** The lazy pages a path renders (none for the list of consultations and the not-found page). */
export function lazyPagesFor(pathname: string): LazyPage[] {
  return (matchRoutes(routes, pathname) ?? [])
    .map((m) => m.route.Component as Partial<LazyPage> | undefined)
    .filter((C): C is LazyPage => typeof C?.preload === 'function');
}

/** Loads the chunks of the pages a path renders, so that hydration finds them ready. */
export async function preloadPagesFor(pathname: string): Promise<void> {
  await Promise.all(lazyPagesFor(pathname).map((p) => p.preload()));
}
