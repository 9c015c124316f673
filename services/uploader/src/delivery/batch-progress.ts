/**
 * A batch of records counted down as each one is settled or handed back: one promise for the
 * batch, where a promise per record (with its callbacks, kept until Entra answers) cost more
 * than the rest of a record's bookkeeping.
 */
export class BatchProgress {
  /** Resolves once every record is settled; rejects once all are done if any was handed back. */
  readonly done: Promise<void>;
  #left: number;
  #handedBack: Error | undefined;
  readonly #resolve: () => void;
  readonly #reject: (reason: Error) => void;

  constructor(records: number) {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.done = promise;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#left = records;
    if (records === 0) resolve();
  }

  /** Records not yet settled or handed back. */
  get left(): number {
    return this.#left;
  }

  settled(): void {
    this.#countDown();
  }

  handedBack(reason: Error): void {
    this.#handedBack ??= reason;
    this.#countDown();
  }

  #countDown(): void {
    if (this.#left === 0) throw new Error('more records done than the batch holds');
    if (--this.#left > 0) return;
    if (this.#handedBack) this.#reject(this.#handedBack);
    else this.#resolve();
  }
}
