import { z } from 'zod';

/** GMO-PG's protocol-type endpoint; the shop's credentials are its sealed `gmo-pg` account. */
export const gmoPgShape = {
  GMO_PG_BASE_URL: z.string().url().optional(),
  GMO_PG_TIMEOUT_MS: z.coerce.number().int().min(100).max(180_000).default(30_000),
};

export type GmoPgConfig = z.infer<z.ZodObject<typeof gmoPgShape>>;
