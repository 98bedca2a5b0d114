import { defaultSettings, type ProcessSettings, type SettingsProcess } from '../../shops/settings';
import type { ApiDeps } from '../app';

/** A shop's settings for a process as the API decides with them: stored, or the defaults where the API keeps no shops. */
export function shopSettings<P extends SettingsProcess>(deps: Pick<ApiDeps, 'shops'>, shopId: string, process: P): Promise<ProcessSettings<P>> {
  return deps.shops ? deps.shops.settings(shopId, process) : Promise.resolve(defaultSettings(process));
}
