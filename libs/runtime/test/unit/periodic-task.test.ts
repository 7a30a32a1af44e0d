import { PeriodicTask } from '../../src/periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when a pass outlasts the interval, then ticks are skipped, a failure is reported and the next tick tries again, and stop waits for the pass in flight', async () => {
    let release: () => void = () => undefined;
    let passes = 0;
    const errors: unknown[] = [];
    const task = new PeriodicTask(
      () => {
        passes += 1;
        if (passes === 2) return Promise.reject(new Error('boom'));
        return new Promise<void>((resolve) => (release = resolve));
      },
      100,
      (error) => errors.push(error),
    );
    task.start();
    await jest.advanceTimersByTimeAsync(350); // ticks at 100, 200, 300: the first pass is still running
    expect(passes).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(100); // 400: second pass fails
    expect(passes).toBe(2);
    expect(errors).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(100); // 500: tried again
    expect(passes).toBe(3);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await jest.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(3);
  });
});
