import { waitFor } from '../../src/wait-for';

describe('waitFor', () => {
  it('when the probe turns truthy, then its value is returned without waiting out the timeout', async () => {
    let calls = 0;
    const started = Date.now();

    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 5, timeoutMs: 5_000 });

    expect(value).toEqual({ calls: 3 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('when the probe never holds, then it rejects with the message and the last error the probe threw', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still booting');
        },
        { intervalMs: 5, timeoutMs: 30, message: 'service never came up' },
      ),
    ).rejects.toThrow('service never came up (last error: still booting)');
    await expect(waitFor(() => false, { intervalMs: 5, timeoutMs: 30 })).rejects.toThrow('condition not met within 30 ms');
  });
});
