// Types for every GraphQL document in src/, generated from the exported SDL. A stale file
// is a failing check (`npm run codegen:check`), like a stale SDL.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema/schema.graphql",
  documents: ["src/**/*.vue", "src/**/*.ts", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: "string", Date: "string", DateTime: "string", Decimal: "string", Money: "string", Upload: "File" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
