import { useState } from 'preact/hooks';
import { ACTION_LABEL, label } from '../labels';
import { ActionDialog } from './ActionDialog';

/** The toolbar over a list's ticked orders (注文一括処理): choose an action, confirm, watch the progress. */
export function BulkBar({ actions, orderIdsFor, count, onDone }: {
  /** the actions the ticked rows allow */
  actions: string[];
  /** the ticked orders the action applies to */
  orderIdsFor: (action: string) => string[];
  count: number;
  onDone: () => void;
}) {
  const [action, setAction] = useState('');
  const [open, setOpen] = useState(false);
  if (count === 0) return null;
  const chosen = actions.includes(action) ? action : '';
  return (
    <div class="bulk-bar" role="toolbar" aria-label="一括処理">
      <span>{count}件選択中</span>
      <select aria-label="一括処理の操作" value={chosen} onChange={(e) => setAction((e.target as HTMLSelectElement).value)}>
        <option value="">操作を選択</option>
        {actions.map((a) => <option key={a} value={a}>{label(ACTION_LABEL, a)}</option>)}
      </select>
      <button type="button" class="primary" disabled={!chosen} onClick={() => setOpen(true)}>一括実行</button>
      {open && chosen && (
        <ActionDialog action={chosen} orderIds={orderIdsFor(chosen)} bulk onClose={(changed) => {
          setOpen(false);
          if (changed) onDone();
        }} />
      )}
    </div>
  );
}
