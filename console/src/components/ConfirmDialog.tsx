import { useState } from 'preact/hooks';

/** A confirmation for an action without arguments, then its result or the API's refusal with the reason. */
export function ConfirmDialog({ title, message, run, onClose }: { title: string; message: string; run: () => Promise<unknown>; onClose: (changed: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const go = async () => {
    setBusy(true);
    try {
      setResult({ ok: true, text: JSON.stringify(await run(), null, 2) });
    } catch (err) {
      setResult({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="overlay">
      <div class="dialog" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {!result && <p class="confirm">{message}</p>}
        {result?.ok && <div class="result ok" role="status"><p>受け付けました。</p><pre>{result.text}</pre></div>}
        {result && !result.ok && <div class="result error" role="alert"><p>実行できませんでした。</p><p data-testid="refusal">{result.text}</p></div>}
        <div class="buttons">
          {!result && <button type="button" onClick={() => onClose(false)}>キャンセル</button>}
          {!result && <button type="button" class="primary" disabled={busy} onClick={() => void go()}>実行する</button>}
          {result && <button type="button" onClick={() => onClose(result.ok)}>閉じる</button>}
        </div>
      </div>
    </div>
  );
}
