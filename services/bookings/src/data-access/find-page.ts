import { pageFilter, pageOf, sortOf, type ListOrder, type Page, type Pagination } from '@pitlane/core';
import type { Model } from 'mongoose';

/**
 * One page of a model's documents in the list order (a cursor page after its cursor, else page numbers),
 * with the total unless `count` is false: the read every paginated list of this service shares.
 */
export function findPage<T extends { _id: string; createdAt: Date }>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model: the page is typed by T
  model: Model<any>,
  filter: Record<string, unknown>,
  pagination: Pagination,
  order: ListOrder,
  count = true,
): Promise<Page<T>> {
  return pageOf(
    (limit) =>
      model
        .find(pageFilter(filter, pagination))
        .sort(sortOf(pagination, order))
        .skip(pagination.cursor?.requested ? 0 : pagination.skip)
        .limit(limit)
        .lean<T[]>()
        .exec(),
    () => model.countDocuments(filter).exec(),
    pagination,
    count,
  );
}
