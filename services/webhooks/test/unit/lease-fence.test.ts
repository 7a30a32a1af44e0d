import { LeaseFence } from '../../src/data-access/lease-fence';

/** A promise with its resolve, to hold a write or a beat open while the other side moves. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('lease heartbeat against lease-ending writes (LeaseFence)', () => {
  it('when an attempt is recorded while the beat extends its lease, then the record is written after the beat', async () => {
    const fence = new LeaseFence();
    const order: string[] = [];
    const beatHeld = gate();
    const beat = fence.extend(['d1', 'd2'], async (ids) => {
      order.push(`beat starts ${ids.join(',')}`);
      await beatHeld.opened;
      order.push('beat written');
    });
    const record = fence.end(['d1'], () => {
      order.push('record written');
      return Promise.resolve('stored');
    });
    await Promise.resolve();
    expect(order).toEqual(['beat starts d1,d2']);
    beatHeld.open();
    expect(await record).toBe('stored');
    await beat;
    expect(order).toEqual(['beat starts d1,d2', 'beat written', 'record written']);
  });

  it('when a record is under way, then the beat leaves that delivery out; once stored, the next beat may take it again', async () => {
    const fence = new LeaseFence();
    const recordHeld = gate();
    const record = fence.end(['d1'], () => recordHeld.opened);
    const beats: string[][] = [];
    await fence.extend(['d1', 'd2'], (ids) => Promise.resolve(void beats.push(ids)));
    recordHeld.open();
    await record;
    await fence.extend(['d1'], (ids) => Promise.resolve(void beats.push(ids)));
    expect(beats).toEqual([['d2'], ['d1']]);
  });

  it('when a write ends a lease the beat does not cover, then it does not wait for the beat', async () => {
    const fence = new LeaseFence();
    const beatHeld = gate();
    const beat = fence.extend(['d1'], () => beatHeld.opened);
    await expect(fence.end(['d9'], () => Promise.resolve('stored'))).resolves.toBe('stored');
    beatHeld.open();
    await beat;
  });

  it('when the beat fails, then the waiting record is still written, and a failed record frees its delivery for later beats', async () => {
    const fence = new LeaseFence();
    const beat = fence.extend(['d1'], () => Promise.reject(new Error('db away')));
    const record = fence.end(['d1'], () => Promise.reject(new Error('write failed')));
    await expect(beat).rejects.toThrow('db away');
    await expect(record).rejects.toThrow('write failed');
    const beats: string[][] = [];
    await fence.extend(['d1'], (ids) => Promise.resolve(void beats.push(ids)));
    expect(beats).toEqual([['d1']]);
  });
});
