export type AppErrorCode = "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "INVALID";

const STATUS: Record<AppErrorCode, number> = { NOT_FOUND: 404, FORBIDDEN: 403, CONFLICT: 409, INVALID: 400 };

/**
 * What domain functions throw. `messageKey` is an i18n key the page shows;
 * `field` names the form field an INVALID or CONFLICT error belongs to.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly messageKey: string,
    readonly options: { field?: string; detail?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${messageKey}`);
    this.name = "AppError";
  }
  get status() {
    return STATUS[this.code];
  }
}

export const notFound = () => new AppError("NOT_FOUND", "errors.notFound");

/** The one mapping from AppError to an HTTP response. */
export function appErrorToResponse(error: AppError): Response {
  return new Response(error.messageKey, { status: error.status, statusText: error.code });
}

/** Wrap a loader or action so AppErrors become responses (404, 403, 409, 400). */
export function withAppErrors<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (error) {
      if (error instanceof AppError) throw appErrorToResponse(error);
      throw error;
    }
  };
}
