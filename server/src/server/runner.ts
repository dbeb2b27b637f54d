/**
 * Runs request handlers so that nothing a handler does can take the server down: an exception is
 * logged and becomes the handler's empty answer, and a request the client cancelled (before or
 * while it ran) is answered with the protocol's "request cancelled" error. The same shape as the
 * runner of VS Code's JSON language server.
 */
import { type CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

function cancelled<E>(data?: E): ResponseError<E> {
  return new ResponseError<E>(LSPErrorCodes.RequestCancelled, 'Request cancelled', data);
}

/**
 * Runs `work` on the next turn of the event loop (so that a cancellation sent right after the
 * request is seen first) and answers `fallback` if it throws.
 */
export function runSafe<T, E = void>(
  logger: Logger,
  what: string,
  token: CancellationToken | undefined,
  fallback: T,
  work: () => T | Promise<T>,
  cancellationData?: E,
): Promise<T | ResponseError<E>> {
  return new Promise((resolve) => {
    setImmediate(() => {
      if (token?.isCancellationRequested) {
        resolve(cancelled(cancellationData));
        return;
      }
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(work());
      } catch (error) {
        logger.error(`${what} failed: ${describeError(error)}`);
        resolve(fallback);
        return;
      }
      pending.then(
        (result) => resolve(token?.isCancellationRequested ? cancelled(cancellationData) : result),
        (error: unknown) => {
          logger.error(`${what} failed: ${describeError(error)}`);
          resolve(fallback);
        },
      );
    });
  });
}

/** Runs a notification handler: an exception is logged and goes no further. */
export function runSafeNotification(logger: Logger, what: string, work: () => void | Promise<void>): void {
  try {
    const result = work();
    if (result) result.catch((error: unknown) => logger.error(`${what} failed: ${describeError(error)}`));
  } catch (error) {
    logger.error(`${what} failed: ${describeError(error)}`);
  }
}
