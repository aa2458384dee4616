// HTTP load with autocannon, summarised the same way for every measure.
import autocannon from 'autocannon';

/**
 * @param {object} o  url, connections, seconds, method?, body?, tokens? (one per connection)
 */
export async function load({ url, connections, seconds, method = 'GET', body, tokens }) {
  let next = 0;
  const headers = body === undefined ? {} : { 'content-type': 'application/json' };
  const result = await autocannon({
    url,
    method,
    connections,
    duration: seconds,
    headers,
    body,
    timeout: 10,
    setupClient: tokens
      ? (client) => {
          const token = tokens[next++ % tokens.length];
          client.setHeaders({ ...headers, authorization: `Bearer ${token}` });
        }
      : undefined,
  });
  const ok = result['2xx'];
  return {
    connections,
    seconds: result.duration,
    requests: result.requests.total,
    ok,
    rate: ok / result.duration,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    errors: result.non2xx + result.errors + result.timeouts,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  };
}
