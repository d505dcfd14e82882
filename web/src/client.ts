// The one GraphQL client: same origin, the session's bearer token, and a 401 sends the user
// to sign in and back to where they were. The workbench is Chinese, so it asks for the API's
// messages in Chinese whatever language the browser prefers.
import { Client, cacheExchange, fetchExchange, mapExchange } from "@urql/vue";
import { router } from "./router";
import { signOut, token } from "./session";

export const client = new Client({
  url: "/graphql",
  preferGetMethod: false,
  requestPolicy: "cache-and-network",
  fetchOptions: (): RequestInit => {
    const bearer = token();
    const headers: Record<string, string> = { "Accept-Language": "zh-CN" };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    return { headers };
  },
  exchanges: [
    mapExchange({
      onError(error) {
        if (error.response?.status === 401) {
          signOut(true);
          // The address bar, not the router: on the first load the router is still at its
          // start while the page asked for is already in the address.
          const here = `${location.pathname}${location.search}${location.hash}`;
          if (location.pathname !== "/signin") {
            void router.push({ name: "signin", query: { next: here } });
          }
        }
      },
    }),
    cacheExchange,
    fetchExchange,
  ],
});
