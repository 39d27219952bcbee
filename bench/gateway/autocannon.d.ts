// The few parts of autocannon's API the gateway bench uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    /** Requests per second from all connections together (no limit when unset). */
    overallRate?: number;
    headers?: Record<string, string>;
    requests?: { setupRequest?: (req: { headers?: Record<string, string> }) => unknown }[];
  }
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    /** Requests (or bytes) counted over the run. */
    total: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    non2xx: number;
    errors: number;
    /** Answers counted by status code. */
    statusCodeStats?: Record<string, { count: number }>;
  }
  function autocannon(options: Options): Promise<Result>;

  export type { Result };
  export default autocannon;
}
