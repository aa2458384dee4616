import type { QueryClient } from '@tanstack/react-query';
import { RouterProvider, type DataRouter } from 'react-router';
import { AppProviders } from './providers';

/** The browser's application: the router and the query cache main.tsx made (filled from the server's state when the page was rendered there). */
export function App({ router, client }: { router: DataRouter; client: QueryClient }) {
  return (
    <AppProviders client={client}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
