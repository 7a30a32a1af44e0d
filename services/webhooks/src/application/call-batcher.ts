import { AsyncResource } from 'node:async_hooks';

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns calls that arrive together into one batch: the calls made in the same turn of the event
 * loop, or while the previous batch is under way, run as one `run(inputs)` (at most `maxBatch`
 * inputs), one batch at a time. An idle batcher adds no wait beyond that turn. Each caller gets its
 * own output (`run` returns one per input, in order). When a batch of several fails, each input is
 * run again on its own, so one bad input cannot fail the others: only its own caller sees the error.
 */
export class CallBatcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private running = false;
  private scheduled = false;
  /** batches run outside the context of whichever caller happened to start them (its request id
   * would label the logs of the whole batch) */
  private readonly next = AsyncResource.bind(() => void this.runNext());

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {}

  call(input: I): Promise<O> {
    const output = new Promise<O>((resolve, reject) => this.waiting.push({ input, resolve, reject }));
    this.schedule();
    return output;
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  private async runNext(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting.splice(0, this.maxBatch);
    this.running = true;
    try {
      const failed = await this.runBatch(batch);
      if (failed && batch.length === 1) batch.forEach((call) => call.reject(failed.error));
      else if (failed) {
        await Promise.all(
          batch.map(async (call) => {
            const alone = await this.runBatch([call]);
            if (alone) call.reject(alone.error);
          }),
        );
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Runs `calls` as one batch and resolves each caller; on failure resolves none and returns the error. */
  private async runBatch(calls: Waiting<I, O>[]): Promise<{ error: unknown } | null> {
    let outputs: O[];
    try {
      outputs = await this.run(calls.map((call) => call.input));
    } catch (error) {
      return { error };
    }
    calls.forEach((call, index) => call.resolve(outputs[index] as O));
    return null;
  }
}
