// Figures as people read them: 元 with thousands separators, exact (the API's decimal string
// is never turned into a float).
export function yuan(amount: string): string {
  const [whole, cents] = amount.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${digits}${cents !== undefined ? `.${cents}` : ""}`;
}

const CLOCK = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

/** An instant from the API (UTC) as Beijing time, `2026-12-06 12:53`; `—` for none. */
export function when(instant: string | null | undefined): string {
  if (!instant) return "—";
  const part = Object.fromEntries(CLOCK.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** The day of an instant, in Beijing time. */
export function day(instant: string): string {
  return when(instant).slice(0, 10);
}
