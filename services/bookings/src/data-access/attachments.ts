import { Readable } from 'node:stream';

import { errors } from '@pitlane/core';
import { mongo } from 'mongoose';

import type { Ctx } from './context';
import { newId } from './ids';
import { requireBooking } from './lookups';

interface AttachmentFile {
  _id: string;
  filename: string;
  length: number;
  uploadDate: Date;
  metadata: { garageId: string; bookingId: string; contentType: string };
}

/** The driver's GridFS through mongoose's own copy of it (no second driver version in the tree). */
function bucket(ctx: Ctx): mongo.GridFSBucket {
  if (!ctx.connection.db) throw new Error('not connected to MongoDB');
  return new mongo.GridFSBucket(ctx.connection.db, { bucketName: 'attachments' });
}

export function attachmentView(file: AttachmentFile) {
  return { id: file._id, name: file.filename, contentType: file.metadata.contentType, size: file.length, createdAt: file.uploadDate };
}

/** Stored in the service's own database (GridFS), tagged with garage and booking for isolation. */
export async function storeAttachment(ctx: Ctx, garageId: string, bookingId: string, file: { name: string; contentType: string; data: Buffer }) {
  await requireBooking(ctx.models, garageId, bookingId);
  const id = newId('att');
  await new Promise<void>((resolve, reject) => {
    const upload = bucket(ctx).openUploadStreamWithId(id as never, file.name, { metadata: { garageId, bookingId, contentType: file.contentType } });
    Readable.from(file.data).pipe(upload).on('finish', () => resolve()).on('error', reject);
  });
  return attachmentView({ _id: id, filename: file.name, length: file.data.length, uploadDate: new Date(), metadata: { garageId, bookingId, contentType: file.contentType } });
}

export async function listAttachments(ctx: Ctx, garageId: string, bookingId: string) {
  await requireBooking(ctx.models, garageId, bookingId);
  const files = await bucket(ctx).find({ 'metadata.garageId': garageId, 'metadata.bookingId': bookingId }).sort({ uploadDate: 1 }).toArray();
  return (files as unknown as AttachmentFile[]).map(attachmentView);
}

export async function openAttachment(ctx: Ctx, garageId: string, bookingId: string, attachmentId: string) {
  const [file] = (await bucket(ctx)
    .find({ _id: attachmentId as never, 'metadata.garageId': garageId, 'metadata.bookingId': bookingId })
    .toArray()) as unknown as AttachmentFile[];
  if (!file) throw errors.notFound('Attachment');
  return { file: attachmentView(file), stream: bucket(ctx).openDownloadStream(attachmentId as never) };
}
