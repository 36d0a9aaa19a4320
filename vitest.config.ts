import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // integration and e2e tests start sshd, ansible and tmux: keep the 2-core machine calm
    maxWorkers: 2,
    // a stock Ink prints only its last frame when CI is set; the bundle replaces that check
    // (scripts/stubs/is-in-ci.js), so the component tests render Ink as on a terminal too. The
    // e2e tests run the bundle with CI=true to prove it.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
