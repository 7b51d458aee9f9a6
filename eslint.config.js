import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "build-*/", "node_modules/", "data/", ".e2e-data/", ".e2e-data-*/", "test-results/", "playwright-report/", "app/domain/accounts/common-passwords.data.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Routes call the domain; only app/domain and db/ may touch the tables (DESIGN.md §4).
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["#db/client", "#db/schema", "drizzle-orm", "drizzle-orm/*"], message: "Routes and components go through app/domain." }] },
      ],
    },
  },
  {
    files: ["app/domain/**", "db/**", "tests/**", "scripts/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // The database is asynchronous: a promise nobody awaits is a write that may be lost or an error
    // nobody sees, and an async function handed to a place that expects a plain answer is never waited for.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "tests/**/*.ts", "scripts/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
