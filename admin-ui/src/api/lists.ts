// Paged lists and server-searching pickers over the API's cursor pagination
// (`{data, next_cursor, total}`), with TanStack Query doing the caching.
import { useEffect, useState } from "react";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { List } from "../api";

/** One page of a list, from the cursor the previous page returned (undefined: the first). */
export type PageFn<T> = (cursor: string | undefined) => Promise<List<T>>;

/**
 * A list read page by page: items loaded so far, the total when the server
 * counts (include_total=true), and loadMore while next_cursor says more follow.
 */
export function useCursorList<T>(key: readonly unknown[], page: PageFn<T>, enabled = true) {
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => page(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
  const items = q.data?.pages.flatMap((p) => p.data) ?? [];
  const first = q.data?.pages[0];
  return {
    items,
    total: first?.total ?? undefined,
    more: q.hasNextPage,
    loadMore: () => q.fetchNextPage(),
    loading: q.isPending,
    loadingMore: q.isFetchingNextPage,
    error: q.error,
    refetch: q.refetch,
  };
}
export type CursorList<T> = ReturnType<typeof useCursorList<T>>;

/** Every page of a list, followed to the end (for small sets: categories, technologies). */
export async function everyPage<T>(page: PageFn<T>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.data);
    cursor = p.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

/** A value that follows v once it has stopped changing for ms. */
export function useDebounced<T>(v: T, ms = 250): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}

/** Server-side search for a picker: the first page of matches for the typed text. */
export function useSearch<T>(key: readonly unknown[], search: (q: string) => Promise<List<T>>, text: string, enabled = true) {
  const q = useDebounced(text.trim());
  return useQuery({ queryKey: [...key, q], queryFn: () => search(q), placeholderData: keepPreviousData, enabled });
}

/**
 * How many items a filtered list holds: the server's total when it counts
 * (include_total=true), else the pages followed to the end.
 */
export async function countAll<T>(page: PageFn<T>): Promise<number> {
  const first = await page(undefined);
  if (first.total != null) return first.total;
  let n = first.data.length;
  let cursor = first.next_cursor ?? undefined;
  while (cursor) {
    const p = await page(cursor);
    n += p.data.length;
    cursor = p.next_cursor ?? undefined;
  }
  return n;
}
