import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

// The built files go to dist/, which jiandu serves at `/` (same origin as /graphql). The
// main chunk holds Vue, urql and every GraphQL document (about 55 KB compressed); the goal
// is at most 300 KB of compressed JavaScript on the first load (bench/web.py).
// `npm run dev` proxies /graphql to a jiandu started with `make run`.
export default defineConfig({
  plugins: [vue()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 300 },
  server: { proxy: { "/graphql": "http://127.0.0.1:8000" } },
});
