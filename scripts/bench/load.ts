import autocannon from "autocannon";
import { percentiles, type Percentiles } from "./stats";
import type { PageTarget } from "./targets";

export interface LoadResult extends Percentiles {
  concurrency: number;
  requestsPerSecond: number;
  failed: number;
  /** Mean bytes of a response as sent (compressed, with `gzip`). */
  meanBytes: number;
}

/**
 * `amount` GET requests over `connections` keep-alive connections, each request
 * taking the next target in turn (one per area). Latency is measured by autocannon
 * from request to full response on 127.0.0.1.
 */
export async function loadPage(baseUrl: string, targets: PageTarget[], connections: number, amount: number, options: { gzip?: boolean } = {}): Promise<LoadResult> {
  let next = 0;
  let bytes = 0;
  // As a browser asks, with --gzip: the app's compression then runs as it does for people.
  const encoding: Record<string, string> = options.gzip ? { "accept-encoding": "gzip" } : {};
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  let lastResponse = started;
  const instance = autocannon({
    url: baseUrl,
    connections,
    amount,
    timeout: 60,
    requests: [
      {
        setupRequest: (request) => {
          const t = targets[next++ % targets.length];
          return { ...request, method: "GET", path: t.path, headers: { ...request.headers, ...encoding, cookie: t.cookie } };
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, responseBytes: number, responseTime: number) => {
    lastResponse = performance.now();
    bytes += responseBytes;
    if (status === 200) latencies.push(responseTime);
    else failed++;
  });
  const result = await instance;
  // Up to the last response: autocannon itself finishes on a whole second, which made every rate
  // 500 ÷ a whole number of seconds (finding 35).
  const seconds = (lastResponse - started) / 1000;
  return { concurrency: connections, ...percentiles(latencies), requestsPerSecond: Math.round(result.requests.total / seconds), failed: failed + result.errors + result.timeouts, meanBytes: Math.round(bytes / Math.max(1, result.requests.total)) };
}
