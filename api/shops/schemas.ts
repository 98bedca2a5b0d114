import { z } from 'zod';
import { MAIL_AUDIENCES } from '../../db/shops';
import { MAIL_KINDS } from '../../mail/mail-kinds';

export const shopIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a shop id: letters, digits, _ or -, at most 64');
const email = z.string().email('an e-mail address').max(254);
const mailRoutes = z.partialRecord(
  z.enum(MAIL_KINDS, { message: `a mail kind: ${MAIL_KINDS.join(', ')}` }),
  z.array(z.enum(MAIL_AUDIENCES, { message: 'admins or notify' })).min(1, 'admins, notify or both').max(2),
);

/** seed 004: the administrators' addresses and the shop's 通知先 address, and which mails go to which. */
export const shopBody = z.object({
  id: shopIdSchema,
  name: z.string().trim().min(1).max(200),
  adminEmails: z.array(email).max(20).default([]),
  notifyEmail: email.nullable().default(null),
  mailRoutes: mailRoutes.default({}),
}).strict();

export const shopChange = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  enabled: z.boolean().optional(),
  adminEmails: z.array(email).max(20).optional(),
  notifyEmail: email.nullable().optional(),
  mailRoutes: mailRoutes.optional(),
}).strict().refine((c) => Object.keys(c).length > 0, { message: 'give name, enabled, adminEmails, notifyEmail or mailRoutes' });
