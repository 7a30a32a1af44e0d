import type { CapacityRepository } from '../data-access/capacity.repository';

/** How many booking numbers one sequence write reserves for this process. */
export const NUMBER_BLOCK = 50;

/**
 * Booking numbers reserved in blocks: one sequence write per NUMBER_BLOCK creates instead of one per
 * create. Numbers stay unique (each block belongs to one process; the unique index on garageId+number
 * is the backstop) and rise within a process; a restart or a second instance leaves gaps between
 * blocks, which a partner sees only as skipped numbers, never as a repeated one.
 */
export class BookingNumbers {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  private readonly refills = new Map<string, Promise<void>>();

  constructor(
    private readonly sequences: Pick<CapacityRepository, 'reserveBlock'>,
    private readonly blockSize = NUMBER_BLOCK,
  ) {}

  async next(garageId: string): Promise<string> {
    const name = `${garageId}|booking`;
    for (;;) {
      const block = this.blocks.get(name);
      if (block && block.next < block.end) return `BK-${String(block.next++).padStart(6, '0')}`;
      // one refill per garage at a time: concurrent creates wait for it instead of each reserving a block
      let refill = this.refills.get(name);
      if (!refill) {
        refill = this.sequences.reserveBlock(name, this.blockSize).then(
          (first) => { this.blocks.set(name, { next: first, end: first + this.blockSize }); },
        ).finally(() => this.refills.delete(name));
        this.refills.set(name, refill);
      }
      await refill;
    }
  }
}
