import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Layering (STYLE.md, docs/developing.md), per service:
 *   entry-points (http routes, messaging handlers) → application (use-cases) → domain (rules)
 *                                                   ↘ data-access (repositories, models)
 * service.ts, the composition root, wires them. The domain imports none of the others nor express,
 * amqplib or mongoose; data-access never imports entry-points or application; entry-points reach
 * data-access only through the context (type imports), never mongoose; services never import each
 * other; libs never import services. */
const services = ['gateway', 'bookings', 'inventory', 'billing', 'webhooks'];
const otherServices = (self) =>
  services.filter((name) => name !== self).flatMap((name) => [`**/services/${name}/**`, `@pitlane/${name}`]);
const restrict = (self, paths, groups) => [
  'error',
  {
    paths,
    patterns: [...groups, { group: otherServices(self), message: 'services never import each other: share through libs/ or events' }],
  },
];

const layerRules = services.flatMap((name) => [
  {
    files: [`services/${name}/src/**/*.ts`, `services/${name}/test/**/*.ts`],
    rules: { 'no-restricted-imports': restrict(name, [], []) },
  },
  {
    files: [`services/${name}/src/domain/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict(
        name,
        [
          { name: 'express', message: 'the domain does not know HTTP' },
          { name: 'amqplib', message: 'the domain does not know the broker' },
          { name: 'mongoose', message: 'the domain does not know the database' },
        ],
        [{ group: ['**/data-access/**', '**/data-access', '**/application/**', '**/entry-points/**'], message: 'the domain is plain rules: use-cases in application/ call repositories' }],
      ),
    },
  },
  {
    files: [`services/${name}/src/application/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict(
        name,
        [
          { name: 'express', message: 'use-cases do not know HTTP' },
          { name: 'amqplib', message: 'use-cases do not know the broker' },
        ],
        [{ group: ['**/entry-points/**'], message: 'use-cases never import entry-points' }],
      ),
    },
  },
  {
    files: [`services/${name}/src/data-access/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict(
        name,
        [{ name: 'express', message: 'data-access does not know HTTP' }],
        [{ group: ['**/entry-points/**', '**/application/**'], message: 'data-access holds repositories and models only' }],
      ),
    },
  },
  {
    files: [`services/${name}/src/entry-points/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict(
        name,
        [{ name: 'mongoose', message: 'routes and handlers never touch mongoose: call a use-case or a repository from the context' }],
        [{ group: ['**/data-access/**', '**/data-access'], allowTypeImports: true, message: 'entry-points get repositories from the service context (type imports only)' }],
      ),
    },
  },
]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.pitlane/**', 'infra/**', 'coverage/**', 'reports/**', '.stryker-tmp/**', 'deploy/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // type-aware rules on the TypeScript sources and tests
  {
    files: ['libs/**/*.ts', 'services/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  // Tests read JSON response bodies, which are `any` by nature: the no-unsafe-* family would only ask for
  // casts there. Everything else type-aware (floating promises, awaits) holds in tests too.
  {
    files: ['**/test/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['libs/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/services/**', ...services.map((s) => `@pitlane/${s}`)], message: 'libs never import services' }] }],
    },
  },
  ...layerRules,
  // the console page's browser modules (issue 10)
  {
    files: ['services/*/web/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['scripts/**', 'bench/**', '**/*.js', '**/*.mjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
