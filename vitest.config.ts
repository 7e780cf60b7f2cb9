import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The build's defines (scripts/build.ts), for page code run in tests.
const appVersion = (JSON.parse(readFileSync('app.json', 'utf8')) as { app: { version: { name: string } } })
  .app.version.name;

const catalog = JSON.parse(readFileSync('scripts/devices.json', 'utf8')) as {
  devices: { shape: string; w: number; h: number; cornerRadius: number | null }[];
};
const screenCorners = Object.fromEntries(
  catalog.devices.flatMap((d) =>
    d.shape === 'S' && d.cornerRadius ? [[`${d.w}x${d.h}`, d.cornerRadius]] : [],
  ),
);

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(appVersion),
    __SCREEN_CORNERS__: JSON.stringify(screenCorners),
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
