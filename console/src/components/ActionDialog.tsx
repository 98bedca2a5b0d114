import { useEffect, useMemo, useState } from 'preact/hooks';
import { actionForms, runSingle, startBulk } from '../actions';
import { argsOf, fieldsOf, singleRoute, type Field } from '../action-forms';
import { ACTION_LABEL, FIELD_LABEL, label, VALUE_LABEL } from '../labels';
import { useSession } from '../session';
import { BulkProgress } from './BulkProgress';

type Outcome = { kind: 'single'; answer: unknown } | { kind: 'bulk'; id: string } | { kind: 'refused'; reason: string };

/**
 * One operator action on one order or many: the arguments the catalog asks for, a confirmation naming the orders,
 * then the result: the API's answer, its refusal with the reason, or the bulk action's progress.
 */
export function ActionDialog({ action, orderIds, bulk, onClose }: { action: string; orderIds: string[]; bulk: boolean; onClose: (changed: boolean) => void }) {
  const { base } = useSession();
  const [fields, setFields] = useState<Field[]>();
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const requestId = useMemo(() => crypto.randomUUID(), []);
  useEffect(() => {
    void actionForms().then((f) => setFields(f[action] ? fieldsOf(f[action].schema) : []));
  }, [action]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!fields) return;
    setBusy(true);
    const args = argsOf(fields, values);
    try {
      const route = orderIds.length === 1 && !bulk ? singleRoute(base, action, orderIds[0]!, args) : undefined;
      if (route) setOutcome({ kind: 'single', answer: await runSingle(route.path, route.body) });
      else setOutcome({ kind: 'bulk', id: (await startBulk(base, action, args, orderIds, requestId)).id });
    } catch (err) {
      setOutcome({ kind: 'refused', reason: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const title = label(ACTION_LABEL, action);
  return (
    <div class="overlay">
      <div class="dialog" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {!outcome && (
          <form onSubmit={(e) => void submit(e)}>
            <p class="confirm">
              {orderIds.length === 1 ? `注文 ${orderIds[0]} に実行します。` : `${orderIds.length}件の注文に一括で実行します。`}
              {orderIds.length > 1 && <span class="ids">{orderIds.slice(0, 10).join(', ')}{orderIds.length > 10 ? ' …' : ''}</span>}
            </p>
            {fields?.map((f) => <FieldInput key={f.name} f={f} value={values[f.name]} set={(v) => setValues({ ...values, [f.name]: v })} />)}
            <div class="buttons">
              <button type="button" onClick={() => onClose(false)}>キャンセル</button>
              <button type="submit" class="primary" disabled={busy || !fields}>実行する</button>
            </div>
          </form>
        )}
        {outcome?.kind === 'single' && (
          <div class="result ok" role="status">
            <p>受け付けました。</p>
            <pre>{JSON.stringify(outcome.answer, null, 2)}</pre>
          </div>
        )}
        {outcome?.kind === 'refused' && (
          <div class="result error" role="alert">
            <p>実行できませんでした。</p>
            <p data-testid="refusal">{outcome.reason}</p>
          </div>
        )}
        {outcome?.kind === 'bulk' && (
          <div class="result" role="status">
            <BulkProgress base={base} id={outcome.id} showOrders={false} />
            <p><a href={`#/bulk/${outcome.id}`} onClick={() => onClose(true)}>一括処理の詳細</a></p>
          </div>
        )}
        {outcome && <div class="buttons"><button type="button" onClick={() => onClose(outcome.kind !== 'refused')}>閉じる</button></div>}
      </div>
    </div>
  );
}

function FieldInput({ f, value, set }: { f: Field; value: string | boolean | undefined; set: (v: string | boolean) => void }) {
  const name = label(FIELD_LABEL, f.name);
  if (f.kind === 'select') {
    return (
      <label>{name}
        <select aria-label={name} required={f.required} value={typeof value === 'string' ? value : ''} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
          <option value="">選択してください</option>
          {f.options.map((o) => <option key={o} value={o}>{VALUE_LABEL[`${f.name}:${o}`] ?? o}</option>)}
        </select>
      </label>
    );
  }
  if (f.kind === 'checkbox') {
    return <label class="inline"><input type="checkbox" checked={value === true} onChange={(e) => set((e.target as HTMLInputElement).checked)} />{name}</label>;
  }
  return (
    <label>{name}
      {f.kind === 'number'
        ? <input type="number" aria-label={name} required={f.required} value={typeof value === 'string' ? value : ''} onInput={(e) => set((e.target as HTMLInputElement).value)} />
        : <input type="text" aria-label={name} required={f.required} value={typeof value === 'string' ? value : ''} onInput={(e) => set((e.target as HTMLInputElement).value)} />}
    </label>
  );
}
