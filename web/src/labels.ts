// The API's Chinese names of enum values (`enumLabels`), looked up as `Type.VALUE`, e.g.
// `SuggestionState.REPLIED` → 已答复.
export type Labels = Map<string, string>;

export function labelsOf(
  enums: readonly { name: string; values: readonly { value: string; label: string }[] }[] | undefined,
): Labels {
  const out: Labels = new Map();
  for (const e of enums ?? []) for (const v of e.values) out.set(`${e.name}.${v.value}`, v.label);
  return out;
}
