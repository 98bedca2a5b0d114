import { createAuPayActivities, type AuPayActivityDeps } from './au-pay-activities';

export type ActivityDeps = AuPayActivityDeps;

/** Every activity the renkei worker registers, built over the clients and stores it is given. */
export function createActivities(deps: ActivityDeps) {
  return { ...createAuPayActivities(deps) };
}
