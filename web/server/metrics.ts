import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

// The storefront's Prometheus metrics, with the Go services' names and
// labels (internal/platform/metrics) so that one rule or dashboard query
// covers both: requests by method, route pattern and status, their
// duration, requests in flight, and the process (CPU, memory, event loop).
// Written out here rather than taken from a client library: the text format
// is small and the launcher then needs no dependency of its own.

/** prometheus.DefBuckets, as the Go services use. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export interface Route {
  page: string;
  regex: RegExp;
}

/**
 * routesFromManifest reads the page patterns of a Next.js build
 * (.next/routes-manifest.json): the route label is the pattern
 * ("/product/[slug]"), never the path, so label values stay bounded.
 */
export function routesFromManifest(standaloneDir: string): Route[] {
  const file = path.join(standaloneDir, ".next", "routes-manifest.json");
  const m = JSON.parse(readFileSync(file, "utf8")) as {
    caseSensitive?: boolean;
    staticRoutes?: { page: string; regex: string }[];
    dynamicRoutes?: { page: string; regex: string }[];
  };
  const flags = m.caseSensitive ? "" : "i";
  // Static routes first: "/orders" before "/orders/[id]".
  return [...(m.staticRoutes ?? []), ...(m.dynamicRoutes ?? [])].map((r) => ({ page: r.page, regex: new RegExp(r.regex, flags) }));
}

/** routeOf names a request path by its page pattern, or a fixed label. */
export function routeOf(routes: Route[], url: string): string {
  const p = url.split("?")[0] ?? "/";
  if (p.startsWith("/_next/static/")) return "/_next/static";
  if (p.startsWith("/_next/image")) return "/_next/image";
  for (const r of routes) if (r.regex.test(p)) return r.page;
  return "unmatched";
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`)
    .join(",");
  return body ? `{${body}}` : "";
}

interface Series {
  method: string;
  route: string;
  counts: number[]; // per bucket, not cumulative
  sum: number;
  total: number;
}

export class StorefrontMetrics {
  private readonly requests = new Map<string, { method: string; route: string; code: string; n: number }>();
  private readonly durations = new Map<string, Series>();
  private inFlight = 0;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });
  private readonly startSeconds = Date.now() / 1000 - process.uptime();

  constructor(private readonly routes: Route[]) {
    this.loopDelay.enable();
  }

  /** record counts one finished request. */
  record(method: string, route: string, code: number, seconds: number): void {
    const m = METHODS.has(method) ? method : "OTHER";
    const c = String(code);
    const rk = `${m} ${route} ${c}`;
    const r = this.requests.get(rk) ?? { method: m, route, code: c, n: 0 };
    r.n++;
    this.requests.set(rk, r);
    const dk = `${m} ${route}`;
    let d = this.durations.get(dk);
    if (!d) {
      d = { method: m, route, counts: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, total: 0 };
      this.durations.set(dk, d);
    }
    const i = BUCKETS.findIndex((b) => seconds <= b);
    d.counts[i === -1 ? BUCKETS.length : i]!++;
    d.sum += seconds;
    d.total++;
  }

  /** middleware is a "request" listener that records every response once it ends. */
  middleware(now: () => bigint = process.hrtime.bigint) {
    return (req: IncomingMessage, res: ServerResponse): void => {
      const start = now();
      const route = routeOf(this.routes, req.url ?? "/");
      this.inFlight++;
      res.once("close", () => {
        this.inFlight--;
        // Closed before any answer was sent (the client went away, or the
        // socket broke): 499, as proxies count it, not the 200 Node presets.
        const code = res.headersSent ? res.statusCode : 499;
        this.record(req.method ?? "OTHER", route, code, Number(now() - start) / 1e9);
      });
    };
  }

  /** render writes every metric in the Prometheus text format (0.0.4). */
  render(): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    head("http_requests_total", "counter", "HTTP requests completed, by method, route pattern and status code.");
    for (const r of this.requests.values()) out.push(`http_requests_total${labels({ method: r.method, route: r.route, code: r.code })} ${r.n}`);

    head("http_request_duration_seconds", "histogram", "Time to serve HTTP requests.");
    for (const d of this.durations.values()) {
      let cumulative = 0;
      BUCKETS.forEach((b, i) => {
        cumulative += d.counts[i]!;
        out.push(`http_request_duration_seconds_bucket${labels({ method: d.method, route: d.route, le: String(b) })} ${cumulative}`);
      });
      out.push(`http_request_duration_seconds_bucket${labels({ method: d.method, route: d.route, le: "+Inf" })} ${d.total}`);
      out.push(`http_request_duration_seconds_sum${labels({ method: d.method, route: d.route })} ${d.sum}`);
      out.push(`http_request_duration_seconds_count${labels({ method: d.method, route: d.route })} ${d.total}`);
    }

    head("http_requests_in_flight", "gauge", "HTTP requests currently being served.");
    out.push(`http_requests_in_flight ${this.inFlight}`);

    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    head("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.");
    out.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
    head("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    head("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
    out.push(`process_start_time_seconds ${Math.round(this.startSeconds)}`);
    head("nodejs_heap_used_bytes", "gauge", "V8 heap in use, in bytes.");
    out.push(`nodejs_heap_used_bytes ${mem.heapUsed}`);
    // Since the previous scrape: a blocked event loop delays every request.
    head("nodejs_eventloop_delay_p99_seconds", "gauge", "99th percentile of the event loop's delay since the previous scrape.");
    out.push(`nodejs_eventloop_delay_p99_seconds ${this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e9 : 0}`);
    this.loopDelay.reset();
    return out.join("\n") + "\n";
  }

  /** handler serves GET /metrics (the metrics port's only path). */
  handler() {
    return (req: IncomingMessage, res: ServerResponse): void => {
      if ((req.url ?? "").split("?")[0] !== "/metrics") {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
        return;
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("method not allowed\n");
        return;
      }
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(req.method === "HEAD" ? undefined : this.render());
    };
  }
}
