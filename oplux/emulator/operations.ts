/**
 * The operations the emulator serves (the event API and the name normalizer): its routes, the names its fault rules
 * take and the names its ledger shows, all from this one list. (The ledger also shows the console's manual results.)
 */
export const OPLUX_OPERATIONS = ['registerEvent', 'getEvent', 'updateEvent', 'normalizeName'] as const;
export type OpluxOperation = (typeof OPLUX_OPERATIONS)[number];
