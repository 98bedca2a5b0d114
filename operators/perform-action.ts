import { auditOfBulkOrder } from '../db/audit-log';
import { runOperatorAction } from '../api/operator-action';
import { HttpError } from '../api/http-error';
import { audited } from './audit';
import { isOperatorAction, OPERATOR_ACTIONS, OPERATOR_ACTION_NAMES, type ActionDeps, type OperatorActionDef } from './action-catalog';
import type { Actor } from './roles';

export interface ActionRequest {
  shopId: string;
  orderId: string;
  action: string;
  /** The action's arguments as the caller sent them; checked by the action's schema (400 with field and reason). */
  args: unknown;
  /** The bulk action it is part of: the step's update id is derived from it, so a retried step acts once. */
  bulkId?: string;
}

/** An action already decided in an earlier attempt of the same bulk step: its recorded outcome, not a second act. */
export class EarlierOutcome extends Error {
  constructor(readonly outcome: 'applied' | 'refused', readonly reason: string | null, readonly httpStatus: number | null) {
    super(reason ?? outcome);
  }
}

/**
 * The one path of every operator action, single or bulk: the arguments checked, an audit row written before the
 * workflow update and its outcome after, who acted sent in the update, and the answers of runOperatorAction (the
 * result; 409 with the workflow's reason; 409 finished; 404 for an order renkei never saw).
 */
export async function performOperatorAction(deps: ActionDeps, actor: Actor, req: ActionRequest): Promise<unknown> {
  if (!isOperatorAction(req.action)) throw new HttpError(400, `unknown action ${req.action}; one of ${OPERATOR_ACTION_NAMES.join(', ')}`, { field: 'action' });
  const def = OPERATOR_ACTIONS[req.action] as OperatorActionDef;
  const args = def.args.parse(req.args ?? {});
  let auditId: string | undefined;
  if (req.bulkId) {
    const earlier = await auditOfBulkOrder(deps.db, req.bulkId, req.orderId);
    if (earlier?.outcome === 'applied' || earlier?.outcome === 'refused') throw new EarlierOutcome(earlier.outcome, earlier.reason, earlier.httpStatus);
    auditId = earlier?.id; // a step that died mid-way or failed: the same row, the same update id (Temporal answers a done update again)
  }
  const by = { operator: actor.name, operatorId: actor.id, ...(req.bulkId ? { bulkId: req.bulkId } : {}) };
  const workflowId = def.workflowId(req.shopId, req.orderId);
  const entry = { operatorId: actor.id, operator: actor.name, shopId: req.shopId, process: def.process, orderId: req.orderId, action: req.action, input: args, bulkId: req.bulkId ?? null, auditId, workflowId };
  return audited(deps.db, entry, () => runOperatorAction(deps.temporal, {
    workflowId,
    what: def.what(req.orderId),
    readStatus: () => def.readStatus(deps.db, req.shopId, req.orderId),
  }, (handle) => def.run({
    handle, args, by, deps, shopId: req.shopId, orderId: req.orderId,
    ...(req.bulkId ? { updateId: `bulk:${req.bulkId}:${req.orderId}` } : {}),
  })));
}
