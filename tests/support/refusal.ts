// The refusal a domain call throws, for asserting on its key, field errors or status.
import { DomainError, ValidationError } from "~/domain/foundation/errors.server";

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** Runs `run` and returns what it threw, failing unless it is a `type` (by default any domain refusal). */
export async function refusal<E extends DomainError = DomainError>(run: () => unknown, type: ErrorClass<E> = DomainError as unknown as ErrorClass<E>): Promise<E> {
  try {
    await run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The validation error a call throws, for asserting on which field and which message. */
export async function validationRefusal(run: () => unknown): Promise<ValidationError> {
  return refusal(run, ValidationError);
}

/** What a call (sync or async) fails with, whatever kind of error it is. */
export async function failure(run: () => unknown): Promise<Error & Partial<ValidationError>> {
  try {
    await run();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error("expected a refusal");
}
