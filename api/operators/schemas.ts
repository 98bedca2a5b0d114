import { z } from 'zod';
import { ROLES } from '../../operators/roles';

const shopId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a shop id: letters, digits, _ or -, at most 64');
/** The shops an operator may see; null (or absent at creation): every shop. */
const shops = z.array(shopId).min(1, 'at least one shop, or null for every shop').max(1000).nullable();

export const operatorBody = z.object({
  name: z.string().trim().min(1).max(120).refine((n) => n !== 'API_TOKEN', 'API_TOKEN names the bootstrap token'),
  role: z.enum(ROLES, { message: `one of ${ROLES.join(', ')}` }),
  shops: shops.optional().default(null),
}).strict();

export const operatorChange = z.object({
  role: z.enum(ROLES, { message: `one of ${ROLES.join(', ')}` }).optional(),
  shops: shops.optional(),
  disabled: z.boolean().optional(),
}).strict().refine((c) => Object.keys(c).length > 0, { message: 'give role, shops or disabled' });

export const tokenBody = z.object({ label: z.string().trim().min(1).max(120).optional() }).strict();

export const idParams = z.object({ id: z.string().regex(/^op_[A-Za-z0-9_-]{6,40}$/, 'an operator id (op_…)') });
export const tokenParams = idParams.extend({ tokenId: z.string().regex(/^tok_[A-Za-z0-9_-]{6,40}$/, 'a token id (tok_…)') });

// --- answers (the OpenAPI document's response schemas) ---

export const actorAnswer = z.looseObject({ id: z.string(), name: z.string(), role: z.enum(ROLES), shops: z.array(z.string()).nullable() });
export const operatorAnswer = z.looseObject({
  id: z.string(), name: z.string(), role: z.enum(ROLES), shops: z.array(z.string()).nullable(), disabled: z.boolean(),
  createdAt: z.string(), updatedAt: z.string(),
});
export const tokenAnswer = z.looseObject({
  id: z.string(), operatorId: z.string(), label: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable(),
});
export const operatorsAnswer = z.looseObject({ operators: z.array(operatorAnswer) });
export const operatorWithTokensAnswer = operatorAnswer.extend({ tokens: z.array(tokenAnswer) });
/** The token itself is in this answer and nowhere else: only its hash is stored. */
export const tokenCreatedAnswer = tokenAnswer.extend({ token: z.string() });
