import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { bindSessionToCache } from '../lib/session';

/** The page's query cache: in the browser, filled first with what the server read to render the page; on the server, that request's own cache. */
export function AppProviders({ children, client }: { children: ReactNode; client: QueryClient }) {
  useEffect(() => bindSessionToCache(client), [client]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
