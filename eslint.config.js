// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// An ES import of node:http(s) makes Node build a module facade that reads every
// export, and http's lazy WebSocket getters then load undici, http2, tls, zlib and
// worker_threads (14 MiB RSS, measured). Types are free.
const NODE_HTTP = ['http', 'https', 'node:http', 'node:https'].map((name) => ({
  name,
  message: "use process.getBuiltinModule('node:http') (an ES import loads undici; see src/http/server.ts)",
  allowTypeImports: true,
}));
// The lower parts never import the faces.
const FACES = { regex: String.raw`(^|/)(homebridge|cli)/`, message: 'the library never imports a face (homebridge/, cli/): move what both need below them' };
// Product code never imports the simulator (the faces may, through homebridge-nascast/simulator).
const SIMULATOR = { regex: String.raw`(^|/)simulator/`, message: 'product code never imports the simulator' };
// A face imports the public API (../api.ts) and the simulator's entry, nothing else of the package.
const PUBLIC_API_ONLY = {
  regex: String.raw`^\.\./(?!api\.ts$|simulator/index\.ts$)`,
  message: "a face imports only the public API ('../api.ts') or '../simulator/index.ts': make what it needs public API (with TSDoc), or move the work below the face",
};
// Browser-safe modules import no Node module and no package (a page cannot resolve
// them), and nothing of the package but each other: src/protocol/ (which may use
// ../errors.ts), and src/errors.ts and src/display.ts (which may use ./protocol/ and,
// for types only, erased before a page sees them, the rest of the package).
const BROWSER_SAFE_MESSAGE = 'browser-safe modules (src/protocol/, src/errors.ts, src/display.ts) import no Node module or package, only each other';
const PROTOCOL_IMPORTS = { regex: String.raw`^(?!\.{1,2}/)|^\.\./(?!errors\.ts$)`, message: BROWSER_SAFE_MESSAGE };
const BROWSER_SAFE_VALUES = { regex: String.raw`^\./(?!protocol/|errors\.ts$|display\.ts$)|^\.\./`, message: BROWSER_SAFE_MESSAGE, allowTypeImports: true };
const NO_NODE_TYPES = { regex: String.raw`^(?!\.{1,2}/)`, message: BROWSER_SAFE_MESSAGE };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-output/', 'bench-output/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bench/servers/*.mjs', 'test/helpers/*.mjs', 'homebridge-ui/server.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  // The direction of imports between the parts (README.md, "Architecture in brief").
  // Each block below states the whole rule for its files: in flat config a later
  // block's setting of a rule replaces an earlier one's, so they share NODE_HTTP.
  {
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: NODE_HTTP, patterns: [FACES, SIMULATOR] }] },
  },
  {
    // The faces sit on the public API only: what they need that it lacks becomes API.
    files: ['src/homebridge/**/*.ts', 'src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: NODE_HTTP, patterns: [PUBLIC_API_ONLY] }] },
  },
  {
    // The one face import besides the API: the CLI limits V8's heap before anything
    // else loads, and importing the API would load everything first (src/heap.ts).
    files: ['src/cli/limit-heap.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: NODE_HTTP, patterns: [{ ...PUBLIC_API_ONLY, regex: String.raw`^\.\./(?!api\.ts$|simulator/index\.ts$|heap\.ts$)` }] }] },
  },
  {
    // The package's entry point: the API, and the default export that registers the
    // Homebridge platform, the one place below the faces that names one of them.
    files: ['src/index.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: NODE_HTTP, patterns: [{ ...FACES, regex: String.raw`(^|/)cli/` }, SIMULATOR] }] },
  },
  {
    // The simulator is a Chromecast, not product code: it may use the product's parts.
    files: ['src/simulator/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: NODE_HTTP, patterns: [FACES] }] },
  },
  {
    // Browser-safe modules, served to the receiver page and the web page as they are.
    files: ['src/protocol/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [PROTOCOL_IMPORTS] }] },
  },
  {
    files: ['src/errors.ts', 'src/display.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_NODE_TYPES, BROWSER_SAFE_VALUES] }] },
  },
  {
    // ava's assertions are bound; JSON bodies in tests are checked by the assertions.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'bench/servers/*.mjs', 'test/helpers/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain JavaScript run by Node (the bench server avoids the type stripper's memory).
    files: ['bench/servers/*.mjs', 'test/helpers/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
