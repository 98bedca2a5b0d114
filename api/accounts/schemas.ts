import { z } from 'zod';
import { PROVIDER_ACCOUNTS, PROVIDERS } from '../../accounts/provider-fields';

/** The provider in the path: the route answers 404 for any other (isProvider), the document lists them. */
export const providerParams = z.object({ shopId: z.string(), provider: z.enum(PROVIDERS) });

/** One provider's account fields, strict: a misspelt field is an error, not a silently dropped secret. */
export const accountBodyOf = (provider: keyof typeof PROVIDER_ACCOUNTS) => (PROVIDER_ACCOUNTS[provider].fields as z.ZodObject).strict();

/** Any provider's account, as the document shows the body (the route checks it against the provider in the path). */
export const accountBody = z.union(PROVIDERS.map((p) => accountBodyOf(p).describe(p)) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);

// --- answers (the OpenAPI document's response schemas) ---

/** An account as an operator may see it: settings as they are, each secret as set or not and its last 4. */
export const accountAnswer = z.looseObject({
  shopId: z.string(), provider: z.enum(PROVIDERS),
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.looseObject({ set: z.boolean(), last4: z.string().nullable() })])),
  keyId: z.string(), version: z.number(), updatedAt: z.string(),
});
export const accountsAnswer = z.looseObject({ shopId: z.string(), accounts: z.array(accountAnswer) });
