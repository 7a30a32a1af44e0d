import { Readable } from 'node:stream';

import { errors } from '@pitlane/core';
import { mongo, type Connection } from 'mongoose';

interface AttachmentFile {
  _id: string;
  filename: string;
  length: number;
  uploadDate: Date;
  metadata: { garageId: string; bookingId: string; contentType: string };
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

function attachmentOf(file: AttachmentFile): Attachment {
  return { id: file._id, name: file.filename, contentType: file.metadata.contentType, size: file.length, createdAt: file.uploadDate };
}

/** Files in GridFS in the service's own database (bucket `attachments`), tagged with garage and
 * booking for isolation; the driver's GridFS through mongoose's own copy (no second driver version). */
export class AttachmentRepository {
  constructor(private readonly connection: Connection) {}

  private bucket(): mongo.GridFSBucket {
    if (!this.connection.db) throw new Error('not connected to MongoDB');
    return new mongo.GridFSBucket(this.connection.db, { bucketName: 'attachments' });
  }

  async store(id: string, garageId: string, bookingId: string, file: { name: string; contentType: string; data: Buffer }): Promise<Attachment> {
    const metadata = { garageId, bookingId, contentType: file.contentType };
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket().openUploadStreamWithId(id as never, file.name, { metadata });
      Readable.from(file.data).pipe(upload).on('finish', () => resolve()).on('error', reject);
    });
    return attachmentOf({ _id: id, filename: file.name, length: file.data.length, uploadDate: new Date(), metadata });
  }

  async list(garageId: string, bookingId: string): Promise<Attachment[]> {
    const files = await this.bucket().find({ 'metadata.garageId': garageId, 'metadata.bookingId': bookingId }).sort({ uploadDate: 1 }).toArray();
    return (files as unknown as AttachmentFile[]).map(attachmentOf);
  }

  /** The attachment and a stream of its bytes; 404 unless it belongs to this garage's booking. */
  async open(garageId: string, bookingId: string, attachmentId: string) {
    const [file] = (await this.bucket()
      .find({ _id: attachmentId as never, 'metadata.garageId': garageId, 'metadata.bookingId': bookingId })
      .toArray()) as unknown as AttachmentFile[];
    if (!file) throw errors.notFound('Attachment');
    return { file: attachmentOf(file), stream: this.bucket().openDownloadStream(attachmentId as never) };
  }
}
