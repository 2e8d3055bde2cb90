// JSON log lines on stdout, one object per line, in the same shape as the Go
// services' slog output: time, level, msg, then fields.
import type { LogLevel } from "./config";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

/** errorFields describes an error for a log line. */
export function errorFields(err: unknown): Fields {
  if (err instanceof Error) return { error: err.message, error_type: err.name, stack: err.stack };
  return { error: String(err) };
}

/** formatLine renders one log record; exported for tests and the launcher. */
export function formatLine(level: LogLevel, msg: string, fields: Fields = {}, now: Date = new Date()): string {
  const record: Fields = { time: now.toISOString(), level: level.toUpperCase(), msg, service: "web", ...fields };
  return (
    JSON.stringify(record, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Error ? errorFields(v) : v)) + "\n"
  );
}

export function createLogger(minLevel: LogLevel, write: (line: string) => void = (l) => void process.stdout.write(l)): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: Fields) => {
    if (RANK[level] >= RANK[minLevel]) write(formatLine(level, msg, fields));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
