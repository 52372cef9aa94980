/** A turn that did not commit in time; the caller answers 5xx and the provider delivers the message again. */
export class TurnTimeout extends Error {
  constructor(ms: number) {
    super(`the turn did not commit within ${ms} ms`);
    this.name = 'TurnTimeout';
  }
}

/**
 * Settles with `work`, or rejects with TurnTimeout after `ms`. The work itself goes on: should it still commit,
 * the provider's repeat is recognised by its message id and does nothing. Why: postgres.js has no query
 * timeout, and on a connection whose packets are dropped (not refused) a query waits until TCP gives up,
 * many minutes later, holding the webhook request and the provider's delivery slot all that time.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TurnTimeout(ms)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
