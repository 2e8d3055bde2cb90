import { STORE_LOCALE } from "@/lib/money";

const FORMAT = new Intl.DateTimeFormat(STORE_LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** formatDate renders an API timestamp (server-side only, so no hydration drift). */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : `${FORMAT.format(d)} UTC`;
}
