/** A domain error with an HTTP status and a stable code; the server turns it into the error body. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id?: string) =>
  new AppError(404, 'not_found', id ? `${what} ${id} not found` : `${what} not found`);
export const conflict = (message: string, extra?: Record<string, unknown>) => new AppError(409, 'conflict', message, extra);
export const forbidden = (message = 'your role may not do this') => new AppError(403, 'forbidden', message);
export const badRequest = (message: string, field?: string) =>
  new AppError(400, 'validation_error', field ? `${field}: ${message}` : message, field ? { field } : {});
