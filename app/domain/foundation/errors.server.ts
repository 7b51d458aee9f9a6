// Domain errors carry a locale key (namespace:key) and its parameters, never a sentence: the route
// translates them into the reader's language.

import type { ZodError } from "zod";

export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

/** A zod failure as field errors: the first problem of each field, its message being a locale key. */
export function fieldErrorsOf(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? "form")] ??= { key: issue.message };
  return fields;
}

export class DomainError extends Error {
  constructor(
    readonly key: string,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = new.target.name;
  }
}

/** The acting user may not do this (or is not signed in: status 401). */
export class ForbiddenError extends DomainError {
  constructor(key = "errors:forbidden", status = 403) {
    super(key, status);
  }
}

export class NotFoundError extends DomainError {
  constructor(key = "errors:notFound") {
    super(key, 404);
  }
}

/** Input that fails validation; `fields` says which field and why, for display beside it. */
export class ValidationError extends DomainError {
  constructor(
    readonly fields: FieldErrors,
    key = "errors:invalidInput",
    params: Record<string, unknown> = {},
  ) {
    super(key, 400, params);
  }
}

/** Too many attempts; `retryAfterMs` says how long until the next may be made. */
export class ThrottledError extends DomainError {
  constructor(readonly retryAfterMs: number) {
    super("auth:tooManyAttempts", 429, { minutes: Math.max(1, Math.ceil(retryAfterMs / 60_000)) });
  }
}
