// Before the first refresh the hosts of onedeck.yaml are shown at once, pending (issue 12 #10),
// never "0 frontend + 0 hypervisors" and "no hosts yet".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { composeCore } from '../../src/compose.js';
import { parseConfig } from '../../src/config/load.js';
import { createAppLog } from '../../src/logs/app-log.js';
import { resolvePaths } from '../../src/paths.js';

const home = mkdtempSync(join(tmpdir(), 'onedeck-pending-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

it('the configured hosts are in the store, pending, before any sweep', async () => {
  const config = parseConfig(
    'cluster: prod\nscaleway:\n  zone: fr-par-2\n  project_id: 11111111-2222-3333-4444-555555555555\nfrontend:\n  name: fe\nhypervisors: [kvm-1, kvm-2]\n',
    join(home, 'onedeck.yaml'),
  );
  const paths = resolvePaths({ HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'cfg') });
  const core = composeCore({ config, paths, log: createAppLog(paths.logFile), runnerScript: '/nonexistent', env: { HOME: home } });
  try {
    const hosts = core.cluster.getState().hosts;
    expect(hosts.map((h) => [h.key, h.role, h.verdict.kind])).toEqual([
      ['fe', 'frontend', 'pending'],
      ['kvm-1', 'hypervisor', 'pending'],
      ['kvm-2', 'hypervisor', 'pending'],
    ]);
    expect(hosts[0].verdict.reasons).toEqual(['waiting for the first refresh']);
    expect(core.cluster.getState().refreshedAt).toBeUndefined();
  } finally {
    await core.stop();
  }
});
