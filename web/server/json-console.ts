import { format } from "node:util";
import type { LogLevel } from "../src/lib/config";
import { createLogger } from "../src/lib/log";

// Next.js and libraries log through console.*; in production every line
// must be JSON, so console is routed through the storefront's logger.

const ANSI = /\u001b\[[0-9;]*m/g;

export function plain(args: unknown[]): string {
  return format(...args)
    .replace(ANSI, "")
    .replace(/^[\s▲✓⚠○●◐✗⨯]+/u, "")
    .trim();
}

export function installJsonConsole(level: LogLevel, write?: (line: string) => void): void {
  const log = createLogger(level, write);
  const route = (fn: (msg: string) => void) => (...args: unknown[]) => {
    const msg = plain(args);
    if (msg) fn(msg);
  };
  console.log = route((m) => log.info(m));
  console.info = route((m) => log.info(m));
  console.warn = route((m) => log.warn(m));
  console.error = route((m) => log.error(m));
  console.debug = route((m) => log.debug(m));
}
