import { createHash } from 'node:crypto';

/**
 * Personal data leaves the shop hashed (spec C.3): names are SHA-1 upper hex in v2 (W2). The e-mail local part is
 * hashed the same way (ASSUMED: W2's name rule applied to the account) and the domain goes in clear.
 */
export const sha1Upper = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

export function hashEmail(email: string): { hashedAccount: string; domain: string } {
  const at = email.lastIndexOf('@');
  const account = at < 0 ? email : email.slice(0, at);
  const domain = at < 0 ? '' : email.slice(at + 1);
  return { hashedAccount: sha1Upper(account.trim().toLowerCase()), domain: domain.trim().toLowerCase() };
}

/** Telephone numbers are sent without hyphens (C.3). */
export const bareTel = (tel: string): string => tel.replace(/[^0-9]/g, '');
