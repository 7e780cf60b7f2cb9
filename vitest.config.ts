import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const appVersion = (JSON.parse(readFileSync('app.json', 'utf8')) as { app: { version: { name: string } } })
  .app.version.name;

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
