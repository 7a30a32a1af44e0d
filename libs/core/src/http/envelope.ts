import type { Response } from 'express';

import type { Pagination } from './pagination';

export interface PaginationMeta {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  hasMore: boolean;
}

export function paginationMeta(pagination: Pick<Pagination, 'page' | 'limit'>, total: number): PaginationMeta {
  const totalPages = Math.ceil(total / pagination.limit);
  return {
    page: pagination.page,
    limit: pagination.limit,
    total,
    totalPages,
    hasMore: pagination.page < totalPages,
  };
}

/** `{"success": true, "data": …}` */
export function sendData(res: Response, data: unknown, status = 200): void {
  res.status(status).json({ success: true, data });
}

/** `{"success": true, "data": [...], "pagination": {...}}` */
export function sendList(
  res: Response,
  items: unknown[],
  pagination: Pick<Pagination, 'page' | 'limit'>,
  total: number,
): void {
  res.status(200).json({ success: true, data: items, pagination: paginationMeta(pagination, total) });
}

/** The list envelope over a short list read whole (a booking's part lines, stages, attachments;
 * a service's prices): the page is sliced here so it reads like every other list. */
export function sendArrayPage(res: Response, items: unknown[], pagination: Pick<Pagination, 'page' | 'limit' | 'skip'>): void {
  sendList(res, items.slice(pagination.skip, pagination.skip + pagination.limit), pagination, items.length);
}
