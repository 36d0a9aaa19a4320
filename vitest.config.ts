import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // the same stand-in the bundle uses: Ink must draw live even when CI=true (see scripts/stubs/is-in-ci.js)
  resolve: { alias: { 'is-in-ci': fileURLToPath(new URL('./scripts/stubs/is-in-ci.js', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // integration and e2e tests start sshd, ansible and tmux: keep the 2-core machine calm
    maxWorkers: 2,
    // process Ink through Vite so the alias above reaches its import of is-in-ci
    server: { deps: { inline: ['ink'] } },
  },
});
