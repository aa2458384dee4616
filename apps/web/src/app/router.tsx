import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';
import { RootLayout } from './routes/root-layout';
import { RouteError } from './routes/route-error';

/*
 * Every page but the list of consultations is its own chunk, so the first load stays small.
 * To fill in a page that is still a placeholder (report, moderation, moderation log), replace the
 * default export of its file in routes/; the route table need not change.
 */
const ConsultationRoute = lazy(() => import('./routes/consultation'));
const ItemRoute = lazy(() => import('./routes/item'));
const ReportRoute = lazy(() => import('./routes/report'));
const ModerationRoute = lazy(() => import('./routes/moderation'));
const ModerationLogRoute = lazy(() => import('./routes/moderation-log'));
const LoginRoute = lazy(() => import('./routes/login'));
const RegisterRoute = lazy(() => import('./routes/register'));
const ProfileRoute = lazy(() => import('./routes/profile'));
const AdminRoute = lazy(() => import('./routes/admin'));
const ResetPasswordRoute = lazy(() => import('./routes/reset-password'));
const ForgotPasswordRoute = lazy(() => import('./routes/forgot-password'));

export const router = createBrowserRouter([
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
]);
