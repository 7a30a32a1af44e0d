import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Layering (STYLE.md): entry-points → domain → data-access. The domain never imports data-access,
 * express or amqp; data-access never imports entry-points; services never import each other; libs
 * never import services. */
const services = ['gateway', 'bookings', 'inventory', 'billing', 'webhooks'];
const otherServices = (self) =>
  services.filter((name) => name !== self).flatMap((name) => [`**/services/${name}/**`, `@pitlane/${name}`]);

const layerRules = services.flatMap((name) => [
  {
    files: [`services/${name}/src/**/*.ts`, `services/${name}/test/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: otherServices(name), message: 'services never import each other: share through libs/ or events' }] }],
    },
  },
  {
    files: [`services/${name}/src/domain/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'express', message: 'the domain does not know HTTP' },
            { name: 'amqplib', message: 'the domain does not know the broker' },
            { name: 'mongoose', message: 'the domain does not know the database: use a repository' },
          ],
          patterns: [
            { group: ['**/data-access/**', '**/data-access', '**/entry-points/**'], message: 'the domain never imports data-access or entry-points: take repositories as arguments' },
            { group: otherServices(name), message: 'services never import each other' },
          ],
        },
      ],
    },
  },
  {
    files: [`services/${name}/src/data-access/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'express', message: 'data-access does not know HTTP' }],
          patterns: [
            { group: ['**/entry-points/**'], message: 'data-access never imports entry-points' },
            { group: otherServices(name), message: 'services never import each other' },
          ],
        },
      ],
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
  {
    files: ['scripts/**', 'bench/**', '**/*.js', '**/*.mjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
