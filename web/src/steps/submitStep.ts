// Taking a step of a loop: the mutation's refusals by field, and those that name a field the
// form does not show under "" so that nothing is silently dropped.
import type { CombinedError, OperationResult } from "@urql/vue";
import { byField, failure, type Refusal } from "../errors";

export type Shown = Record<string, string>;

export function refusals(
  answer: OperationResult<unknown>,
  payload: { errors: readonly Refusal[] } | null | undefined,
  fields: readonly string[],
): Shown | null {
  if (!payload) return { "": failure(answer.error as CombinedError | undefined) ?? "提交失败，请重试。" };
  if (!payload.errors.length) return null;
  const shown = byField(payload.errors);
  for (const key of Object.keys(shown)) {
    if (key && !fields.includes(key)) {
      shown[""] = shown[""] ? `${shown[""]}；${shown[key]}` : shown[key];
      delete shown[key];
    }
  }
  return shown;
}
