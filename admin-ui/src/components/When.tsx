// A time in the reader's own timezone, named, with the exact UTC instant on hover.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const fmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

/** "25 Nov 2026, 18:00 CET" in the browser's timezone. */
export function formatWhen(at: string | number | Date): string {
  return fmt.format(new Date(at));
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return null;
  return <time dateTime={at} title={`${new Date(at).toISOString()} (shown in ${zone})`}>{formatWhen(at)}</time>;
}

export const timeZone = zone;
