// One error type for every failed API call, built from the services' JSON
// error body {code, message, fields: [{field, reason}], requestId} or, when
// there is no such body, from the HTTP status alone.

export interface FieldViolation {
  field: string;
  reason: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldViolation[];
  requestId?: string;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldViolation[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** body is the JSON a route handler sends on to the browser. */
  body(): ErrorBody {
    const b: ErrorBody = { code: this.code, message: this.message };
    if (this.fields.length > 0) b.fields = this.fields;
    if (this.requestId) b.requestId = this.requestId;
    return b;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  413: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** codeForStatus names the error class of an HTTP status without a body. */
export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? "INTERNAL" : "UNKNOWN");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseFields(v: unknown): FieldViolation[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((f) =>
    isRecord(f) && typeof f.field === "string" && typeof f.reason === "string"
      ? [{ field: f.field, reason: f.reason }]
      : [],
  );
}

/**
 * parseErrorBody builds the ApiError for a non-2xx answer. A body that is
 * not the services' error JSON (a proxy's HTML page, an empty body) still
 * gives a usable error, classified by status, never the raw body.
 */
export function parseErrorBody(status: number, text: string, requestIdHeader?: string | null): ApiError {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const requestId =
    (isRecord(parsed) && typeof parsed.requestId === "string" ? parsed.requestId : undefined) ??
    requestIdHeader ??
    undefined;
  if (isRecord(parsed) && typeof parsed.code === "string" && typeof parsed.message === "string") {
    return new ApiError(status, parsed.code, parsed.message, parseFields(parsed.fields), requestId);
  }
  return new ApiError(status, codeForStatus(status), `request failed with status ${status}`, [], requestId);
}

/** fieldErrors maps each field to its first reason, for form inputs. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(err)) return out;
  for (const f of err.fields) {
    out[f.field] ??= f.reason;
  }
  return out;
}

/**
 * userMessage is what a person sees. Client errors carry the services'
 * message, which is written for people; server-side failures get a generic
 * sentence (with the request id to quote) so internals never leak.
 */
export function userMessage(err: unknown): string {
  if (!isApiError(err)) return "Something went wrong. Please try again.";
  if (err.code === "UNAVAILABLE" || err.code === "DEADLINE_EXCEEDED") {
    return "The shop cannot be reached right now. Please try again in a moment.";
  }
  if (err.code === "RESOURCE_EXHAUSTED") return "Too many requests. Please wait a moment and try again.";
  if (err.status >= 500 || err.status === 0) {
    const ref = err.requestId ? ` (reference ${err.requestId})` : "";
    return `Something went wrong on our side${ref}. Please try again.`;
  }
  const m = err.message.trim();
  return m ? m.charAt(0).toUpperCase() + m.slice(1) : "The request was not accepted.";
}
