import { errors, sendArrayPage, sendData } from '@pitlane/core';
import type { Request, Response, Router } from 'express';
import multer from 'multer';

import type { BookingsContext } from '../../service';
import { lists } from './list-queries';
import { param, tenantOf } from './tenant';

/** Declared type must agree with the file's first bytes: a renamed executable is not a "PDF".
 * The download answers with the stored type, so these are also its media types in the document. */
export const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** multer in memory, one file in field `file`; its errors become the API's 413 and 400. */
function receiveFile(maxBytes: number) {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } }).single('file');
  return (req: Request, res: Response) =>
    new Promise<Express.Multer.File>((resolve, reject) => {
      upload(req, res, (error: unknown) => {
        if (error instanceof multer.MulterError) {
          if (error.code === 'LIMIT_FILE_SIZE') return reject(errors.payloadTooLarge(`${maxBytes} bytes`));
          return reject(errors.validation('The upload is invalid.', [{ field: error.field ?? 'file', message: error.message }]));
        }
        if (error) return reject(errors.validation('The upload is not valid multipart/form-data.', [{ field: 'file', message: 'could not be read' }]));
        if (!req.file) return reject(errors.validation('The upload is invalid.', [{ field: 'file', message: 'is required (multipart field "file")' }]));
        resolve(req.file);
      });
    });
}

export function attachmentRoutes(router: Router, ctx: BookingsContext): void {
  const receive = receiveFile(ctx.config.ATTACHMENT_MAX_BYTES);

  router.post('/bookings/:bookingId/attachments', async (req, res) => {
    const file = await receive(req, res);
    const check = SIGNATURES[file.mimetype];
    if (!check || !check(file.buffer)) {
      throw errors.validation('Only images (JPEG, PNG, GIF, WebP) and PDF documents are accepted.', [
        { field: 'file', message: `type ${file.mimetype} is not accepted or does not match the content` },
      ]);
    }
    const name = file.originalname.replace(/[^\w.\- ()]/g, '_').slice(0, 200) || 'attachment';
    const stored = await ctx.attachments.store(tenantOf(res).garageId, param(req, 'bookingId'), { name, contentType: file.mimetype, data: file.buffer });
    sendData(res, stored, 201);
  });

  router.get('/bookings/:bookingId/attachments', async (req, res) => {
    const { pagination } = lists.nested.parse(req.query);
    sendArrayPage(res, await ctx.attachments.list(tenantOf(res).garageId, param(req, 'bookingId')), pagination);
  });

  router.get('/bookings/:bookingId/attachments/:attachmentId/content', async (req, res) => {
    const { file, stream } = await ctx.attachments.open(tenantOf(res).garageId, param(req, 'bookingId'), param(req, 'attachmentId'));
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-length', String(file.size));
    res.setHeader('content-disposition', `attachment; filename="${file.name.replace(/"/g, '')}"`);
    res.setHeader('x-content-type-options', 'nosniff');
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject).pipe(res).on('finish', () => resolve());
    });
  });
}
