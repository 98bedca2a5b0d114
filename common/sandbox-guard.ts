import { ConfigError } from './env';

/** The variables that point renkei at a provider. */
export const PROVIDER_URL_VARIABLES = [
  'AUPAY_BASE_URL', 'AMAZONPAY_BASE_URL', 'YAHOO_API_BASE_URL', 'YAHOO_TOKEN_URL', 'OPLUX_EVENT_URL', 'OPLUX_NORMALIZER_URL', 'GMO_PG_BASE_URL',
] as const;

/** The sandbox's own paths (sandbox/main.ts mounts each emulator under its provider's name), or a loopback host. */
const SANDBOX_PATH = /^\/(au-pay|amazon-pay|yahoo|oplux|gmo-pg)(\/|$)/;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function isSandboxUrl(url: string): boolean {
  const u = new URL(url);
  return LOOPBACK.test(u.hostname) || SANDBOX_PATH.test(u.pathname);
}

/**
 * A production deployment (NODE_ENV=production, as the compose stack sets) that still points a provider at renkei's
 * sandbox (a variable left unset takes the sandbox's address) would take orders nowhere: refuse to start, naming each
 * variable, unless RENKEI_STAGING=true says the deployment is a staging one.
 */
export function refuseSandboxInProduction(config: Partial<Record<(typeof PROVIDER_URL_VARIABLES)[number], string | undefined>>, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'production' || env.RENKEI_STAGING === 'true') return;
  const sandboxed = PROVIDER_URL_VARIABLES.filter((name) => config[name] && isSandboxUrl(config[name]!));
  if (sandboxed.length === 0) return;
  throw new ConfigError(`invalid configuration:\n${sandboxed.map((name) => `  ${name}: ${config[name]} is renkei's sandbox; set the provider's address, or RENKEI_STAGING=true for a staging deployment`).join('\n')}`);
}
