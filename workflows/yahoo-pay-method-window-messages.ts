import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActedBy } from './acted-by';
import type { PendingDecision, WindowDecision, WindowStatus } from './yahoo-window-status';

/** What a sweep saw of the order in orderList (no PayMethodChangeDoneDate there). A repeat is harmless. */
export interface OrderSighting {
  settleStatus: string;
  changePossible: boolean;
  /** PayMethodChangeDeadline as an instant, when listed */
  deadline: string | null;
  /** the sweep's recipe: 1 = still in the window, 2 = a completed change (SettleStatus 3, 2 …) in the same deadline range */
  recipe: 1 | 2;
}
export const orderSeenSignal = defineSignal<[OrderSighting]>('yahooOrderSeen');

export interface WindowState {
  status: WindowStatus;
  deadline: string;
  deadlineSource: 'api' | 'local';
  pending: PendingDecision | null;
  lastError: string | null;
  checks: number;
  sightings: number;
}
export const windowStateQuery = defineQuery<WindowState>('yahooWindowState');

export interface DecisionInput {
  decision: WindowDecision;
  operator: string;
}
/** The operator's decision at a deadline (cancel at Yahoo or keep) or after a link error (retry or keep); refused with a reason otherwise. */
export const windowDecisionUpdate = defineUpdate<{ previous: WindowStatus; decision: WindowDecision }, [DecisionInput, ActedBy?]>('yahooWindowDecision');
