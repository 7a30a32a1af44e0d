import { newId } from '../data-access/ids';
import type { UseCaseDeps } from './deps';

/** Files attached to a booking (type and size were checked by the route). */
export class Attachments {
  constructor(private readonly deps: UseCaseDeps) {}

  async store(garageId: string, bookingId: string, file: { name: string; contentType: string; data: Buffer }) {
    await this.deps.repos.bookings.require(garageId, bookingId);
    return this.deps.repos.attachments.store(newId('att'), garageId, bookingId, file);
  }

  async list(garageId: string, bookingId: string) {
    await this.deps.repos.bookings.require(garageId, bookingId);
    return this.deps.repos.attachments.list(garageId, bookingId);
  }

  open(garageId: string, bookingId: string, attachmentId: string) {
    return this.deps.repos.attachments.open(garageId, bookingId, attachmentId);
  }
}
