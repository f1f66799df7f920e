// The foot of a paged list: how many of how many are shown, and a button for the next page.
import type { CursorList } from "../api/lists";

export function ListFooter<T>({ list, noun }: { list: CursorList<T>; noun: string }) {
  if (list.loading) return <p className="muted" role="status">Loading {noun}…</p>;
  if (list.error) return <p className="notice error" role="alert">Could not load {noun}: {(list.error as Error).message}</p>;
  const n = list.items.length;
  return (
    <div className="list-foot">
      <p className="muted" role="status" data-testid="list-count">
        {list.total != null ? `Showing ${n} of ${list.total} ${noun}` : `Showing ${n} ${noun}${list.more ? " (more available)" : ""}`}
      </p>
      {list.more && (
        <button type="button" onClick={() => list.loadMore()} disabled={list.loadingMore}>
          {list.loadingMore ? "Loading…" : `Load more ${noun}`}
        </button>
      )}
    </div>
  );
}
