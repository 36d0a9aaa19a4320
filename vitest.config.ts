import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // integration and e2e tests start sshd, ansible and tmux: keep the 2-core machine calm
    maxWorkers: 2,
  },
});
