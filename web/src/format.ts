// Figures as people read them: 元 with thousands separators, exact (the API's decimal string
// is never turned into a float).
export function yuan(amount: string): string {
  const [whole, cents] = amount.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${digits}${cents !== undefined ? `.${cents}` : ""}`;
}
