import { useState } from 'preact/hooks';
import { ConfirmDialog } from './ConfirmDialog';

/** An admin's edit of one JSON document (a shop, a process's settings, an account): text, confirm, the API's answer. */
export function JsonEditor({ title, initial, save, onDone }: { title: string; initial: unknown; save: (body: unknown) => Promise<unknown>; onDone: () => void }) {
  const [text, setText] = useState(JSON.stringify(initial, null, 2));
  const [confirm, setConfirm] = useState<unknown>();
  const [bad, setBad] = useState<string>();
  const submit = (e: Event) => {
    e.preventDefault();
    try {
      setConfirm(JSON.parse(text));
      setBad(undefined);
    } catch (err) {
      setBad(`JSONとして読めません: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return (
    <form class="json-editor" onSubmit={submit}>
      <label>{title}<textarea rows={Math.min(20, text.split('\n').length + 1)} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} /></label>
      {bad && <p class="error" role="alert">{bad}</p>}
      <button type="submit">保存</button>
      {confirm !== undefined && (
        <ConfirmDialog title={title} message={`${title}を保存します。`} run={() => save(confirm)} onClose={(changed) => { setConfirm(undefined); if (changed) onDone(); }} />
      )}
    </form>
  );
}
