import "server-only";
import { isDraining } from "../draining";
import { joinUrl } from "../api/http";
import { getConfig } from "./env";

// Readiness answers from a result at most MAX_AGE_MS old, so frequent
// probes from several sources make at most one API call per interval.

const MAX_AGE_MS = 2000;
const CHECK_TIMEOUT_MS = 2000;

export type Readiness = { ok: true } | { ok: false; reason: string };

let last: { at: number; result: Promise<Readiness> } | undefined;

async function probeApi(): Promise<Readiness> {
  const url = joinUrl(getConfig().apiUrl, "/categories");
  try {
    const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.ok ? { ok: true } : { ok: false, reason: `API answered ${res.status}` };
  } catch {
    return { ok: false, reason: "API unreachable" };
  }
}

export async function checkReadiness(now = Date.now()): Promise<Readiness> {
  if (isDraining()) return { ok: false, reason: "shutting down" };
  if (!last || now - last.at > MAX_AGE_MS) last = { at: now, result: probeApi() };
  return last.result;
}
