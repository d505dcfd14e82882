// What went wrong, for the person at the screen: the API's messages (Chinese unless the
// browser asks for English), by field where the API names one.
import type { CombinedError } from "@urql/vue";

export interface Refusal {
  field?: string | null;
  code: string;
  message: string;
}

/** The refusals of a mutation's payload, by field; those naming no field under "". */
export function byField(errors: readonly Refusal[]): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const error of errors) {
    const key = error.field ?? "";
    shown[key] = shown[key] ? `${shown[key]}；${error.message}` : error.message;
  }
  return shown;
}

/** A failed request in one sentence: the server's own message, or why it could not answer. */
export function failure(error: CombinedError | undefined | null): string | null {
  if (!error) return null;
  if (error.response?.status === 401) return "登录已失效，请重新登录。";
  if (error.networkError) return "无法连接服务器，请检查网络后重试。";
  return error.graphQLErrors.map((e) => e.message).join("；") || "请求失败，请重试。";
}
