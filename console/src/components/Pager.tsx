/** Keyset paging: back through the cursors seen, forward with the answer's nextCursor. */
export function Pager({ cursors, next, onPage }: { cursors: string[]; next: string | null | undefined; onPage: (cursors: string[]) => void }) {
  return (
    <nav class="pager" aria-label="ページ">
      <button type="button" disabled={cursors.length === 0} onClick={() => onPage(cursors.slice(0, -1))}>前へ</button>
      <span>{cursors.length + 1}ページ</span>
      <button type="button" disabled={!next} onClick={() => next && onPage([...cursors, next])}>次へ</button>
    </nav>
  );
}
