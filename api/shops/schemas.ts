import { z } from 'zod';
import { MAIL_AUDIENCES } from '../../db/shops';
import { MAIL_KINDS } from '../../mail/mail-kinds';
import { PROCESS_SETTINGS, SETTINGS_PROCESSES } from '../../shops/settings';

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

/** The process in the settings path: the route answers 404 for any other, the document lists them. */
export const settingsParams = z.object({ shopId: z.string(), process: z.enum(SETTINGS_PROCESSES) });

/** Any process's settings, as the document shows the body (the route checks it against the process in the path). */
export const settingsBody = z.union(SETTINGS_PROCESSES.map((p) => PROCESS_SETTINGS[p].describe(p)) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);

// --- answers (the OpenAPI document's response schemas) ---

export const shopAnswer = z.looseObject({
  id: z.string(), name: z.string(), enabled: z.boolean(), adminEmails: z.array(z.string()), notifyEmail: z.string().nullable(),
  mailRoutes: z.record(z.string(), z.array(z.enum(MAIL_AUDIENCES))), createdAt: z.string(), updatedAt: z.string(),
});
export const shopsAnswer = z.looseObject({ shops: z.array(shopAnswer) });
/** One process's settings, as stored or defaulted. */
export const processSettingsAnswer = z.looseObject({});
export const allSettingsAnswer = z.looseObject(Object.fromEntries(SETTINGS_PROCESSES.map((p) => [p, z.looseObject({})])));
