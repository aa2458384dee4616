import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // The live channel keeps open pages current; refetching on focus would only add load.
        refetchOnWindowFocus: false,
        // An answer the server rendered as an error (a 404: no such consultation) stays as drawn when
        // the browser takes the page over; "Try again" asks again.
        retryOnMount: false,
        retry: (count, err) => {
          if (err instanceof ApiError && err.status < 500 && err.status !== 429) return false;
          return count < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
