import { CallBatcher } from '../../src/application/call-batcher';

/** A batch function that records each batch it ran and doubles its inputs; `bad` inputs fail the whole batch. */
function doubler(bad = new Set<number>()) {
  const batches: number[][] = [];
  let release: (() => void) | undefined;
  return {
    batches,
    /** the next batch waits until `open()` */
    hold: () => new Promise<void>((resolve) => (release = resolve)),
    open: () => release?.(),
    run: (gate?: () => Promise<void>) => async (inputs: number[]) => {
      batches.push(inputs);
      if (gate) await gate();
      if (inputs.some((input) => bad.has(input))) throw new Error(`bad input in ${inputs.join(',')}`);
      return inputs.map((input) => input * 2);
    },
  };
}

describe('calls that arrive together run as one batch (CallBatcher)', () => {
  it('when calls are made in the same turn, then they run as one batch and each caller gets its own output', async () => {
    const fake = doubler();
    const batcher = new CallBatcher(fake.run(), 100);
    expect(await Promise.all([1, 2, 3].map((n) => batcher.call(n)))).toEqual([2, 4, 6]);
    expect(fake.batches).toEqual([[1, 2, 3]]);
  });

  it('when calls arrive while a batch runs, then they wait for it and run together next; at most maxBatch at a time', async () => {
    const fake = doubler();
    let first = true;
    const batcher = new CallBatcher(
      fake.run(() => {
        if (!first) return Promise.resolve();
        first = false;
        return fake.hold();
      }),
      2,
    );
    const outputs = [batcher.call(1)];
    await new Promise((resolve) => setImmediate(resolve));
    outputs.push(batcher.call(2), batcher.call(3), batcher.call(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.batches).toEqual([[1]]);
    fake.open();
    expect(await Promise.all(outputs)).toEqual([2, 4, 6, 8]);
    expect(fake.batches).toEqual([[1], [2, 3], [4]]);
  });

  it('when one input fails its batch, then the others are run again alone and succeed; only its caller gets the error', async () => {
    const fake = doubler(new Set([2]));
    const batcher = new CallBatcher(fake.run(), 100);
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => batcher.call(n)));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('bad input in 2') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(fake.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('when a batch fails, then the next calls still run', async () => {
    const fake = doubler(new Set([5]));
    const batcher = new CallBatcher(fake.run(), 100);
    await expect(batcher.call(5)).rejects.toThrow('bad input in 5');
    expect(await batcher.call(6)).toBe(12);
  });
});
