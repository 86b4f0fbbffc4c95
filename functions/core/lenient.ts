// Fields that only rules read are read leniently: unset, or a value of the wrong type,
// reads as undefined (see pod-spec-view.ts for why).
import type { z } from 'zod';

/**
 * `schema`, reading unset and values of the wrong type as undefined. Optional first:
 * an unset field, the common case, then passes without building an error to catch.
 */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}
