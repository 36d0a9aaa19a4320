// The Scaleway adapter against replies an attacker or a broken endpoint sends: a huge total_count,
// a list that is not a list, a key echoed in an error, a closed port, a body that never ends.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScalewayClient, type HttpPolicy } from '../../src/adapters/scaleway/client.js';
import { resolveScalewayCredentials } from '../../src/adapters/scaleway/credentials.js';
import { readScaleway } from '../../src/adapters/scaleway/servers.js';
import { MAX_PAGES } from '../../src/adapters/scaleway/replies.js';
import { describeError } from '../../src/errors.js';
import { fakeServer, startFakeScw, type FakeScw } from '../harness/fake-scw-http.js';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const PROJECT = '11111111-1111-1111-1111-111111111111';
const SECRET = fakeSecretKey('2');
const ACCESS = fakeAccessKey('X');
const config = { scaleway: { zone: 'fr-par-2', region: 'fr-par', project_id: PROJECT, offer: 'EM', profile: undefined, config_path: undefined } };
const policy = (over: Partial<HttpPolicy> = {}): HttpPolicy => ({ timeoutMs: 2000, retries: 1, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {}, ...over });

let fake: FakeScw;
beforeAll(async () => {
  fake = await startFakeScw();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.script.clear();
  fake.requests.length = 0;
  fake.servers.length = 0;
});

function read(url = fake.url, p: HttpPolicy = policy()) {
  const creds = resolveScalewayCredentials(config, { SCW_ACCESS_KEY: ACCESS, SCW_SECRET_KEY: SECRET, SCW_API_URL: url });
  return readScaleway(createScalewayClient(creds, p), { zone: 'fr-par-2', region: 'fr-par', projectId: PROJECT, attempts: p.retries + 1 });
}
async function failure(url?: string, p?: HttpPolicy): Promise<string> {
  try {
    await read(url, p);
  } catch (err) {
    return describeError(err);
  }
  throw new Error('expected the read to fail');
}

describe('pagination is bounded', () => {
  it('total_count 1e9: refused after the first page, naming the reply; no flood of page requests', async () => {
    const page = { status: 200, body: { total_count: 1e9, servers: [fakeServer(1)] } };
    fake.script.set('/servers', Array(50).fill(page));
    const msg = await failure();
    expect(msg).toMatch(/^the Scaleway API replied to GET \/baremetal\/v1\/zones\/fr-par-2\/servers with total_count 1000000000, more than onedeck reads \(at most \d+\)/);
    expect(fake.requests.filter((r) => r.path.endsWith('/servers'))).toHaveLength(1);
  });

  it('a total_count that is not a count (-1, 1.5, "10") is a malformed reply', async () => {
    for (const bad of [-1, 1.5, '10']) {
      fake.script.set('/servers', [{ status: 200, body: { total_count: bad, servers: [] } }]);
      expect(await failure()).toMatch(/malformed reply to GET \/baremetal\/v1\/zones\/fr-par-2\/servers: total_count/);
    }
  });

  it('a server that keeps claiming more pages is read page by page, at most MAX_PAGES', async () => {
    // one server per page, total_count says 10,000 (within the cap of items, beyond the page cap)
    const page = { status: 200, body: { total_count: 10_000, servers: [fakeServer(1)] } };
    fake.script.set('/servers', Array(MAX_PAGES + 5).fill(page));
    const msg = await failure();
    expect(msg).toMatch(new RegExp(`more than ${MAX_PAGES} pages`));
    expect(fake.requests.filter((r) => r.path.endsWith('/servers')).length).toBe(MAX_PAGES);
  });
});

describe('replies are validated', () => {
  it('{"servers":"not-a-list"} is an error naming the bad reply, not "no servers"', async () => {
    fake.script.set('/servers', [{ status: 200, body: { total_count: 1, servers: 'not-a-list' } }]);
    const msg = await failure();
    expect(msg).toMatch(/^the Scaleway API sent a malformed reply to GET \/baremetal\/v1\/zones\/fr-par-2\/servers: servers must be a list, got a string\./);
  });

  it('a server without an id is malformed too', async () => {
    fake.script.set('/servers', [{ status: 200, body: { total_count: 1, servers: [{ name: 'x' }] } }]);
    expect(await failure()).toMatch(/malformed reply .*servers\.0\.id/);
  });
});

describe('secrets in error replies', () => {
  it('a key echoed in an API error is masked in the message', async () => {
    fake.script.set('/servers', [{ status: 401, body: { type: 'denied_authentication', message: `authentication is denied for token ${SECRET} (access key ${ACCESS})` } }]);
    const msg = await failure();
    expect(msg).toMatch(/rejected the credentials \(401\)/);
    expect(msg).toContain('authentication is denied for token ********');
    expect(msg).not.toContain(SECRET);
    expect(msg).not.toContain(ACCESS);
  });
});

describe('unclear network messages', () => {
  it('a closed port says "connection refused" and names the URL', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const msg = await failure(`http://127.0.0.1:${port}`);
    expect(msg).toMatch(new RegExp(`^cannot reach the Scaleway API at http://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\) for GET /baremetal/v1/zones/fr-par-2/servers \\(2 attempts\\)`));
  });

  it('a body that never finishes is a timeout, not "a response onedeck cannot read"', async () => {
    const { createServer: http } = await import('node:http');
    const open: import('node:http').ServerResponse[] = [];
    const srv = http((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"total_count": 1, "servers": [');
      open.push(res); // never ended
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const msg = await failure(`http://127.0.0.1:${(srv.address() as { port: number }).port}`, policy({ timeoutMs: 300, retries: 0 }));
      expect(msg).toMatch(/^the Scaleway API did not finish its reply to GET \/baremetal\/v1\/zones\/fr-par-2\/servers within 0\.3s \(1 attempts\)/);
      expect(msg).not.toContain('cannot read');
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

describe('credentials messages', () => {
  it("SCW_API_URL='not a url' says which setting is wrong", () => {
    expect(() => resolveScalewayCredentials(config, { SCW_ACCESS_KEY: ACCESS, SCW_SECRET_KEY: SECRET, SCW_API_URL: 'not a url' })).toThrow(
      /^the Scaleway API URL from SCW_API_URL is not an http\(s\) URL: "not a url"\.$/,
    );
  });

  it('no credentials: each place looked at is named once', () => {
    const home = '/nonexistent-home';
    try {
      resolveScalewayCredentials(config, { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, SCW_CONFIG_PATH: `${home}/.config/scw/config.yaml` });
      throw new Error('expected a failure');
    } catch (err) {
      const text = describeError(err);
      expect(text.split(`${home}/.config/scw/config.yaml`)).toHaveLength(2);
    }
  });
});

it('normal reads still work (one page of servers)', async () => {
  fake.servers.push(fakeServer(1), fakeServer(2));
  expect((await read()).servers.map((s) => s.name)).toEqual(['prod-kvm-1', 'prod-kvm-2']);
});

describe('a key echoed by the API, end to end', () => {
  it('is masked in the sweep result and in `status` (text and --json)', async () => {
    const { collectStatus, formatStatus } = await import('../../src/cli/status.js');
    const { parseConfig } = await import('../../src/config/load.js');
    const echo = { status: 401, body: { type: 'denied_authentication', message: `authentication is denied for token ${SECRET}` } };
    fake.script.set('/servers', [echo, echo]);
    const vars = { SCW_ACCESS_KEY: ACCESS, SCW_SECRET_KEY: SECRET, SCW_API_URL: fake.url };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const cfg = parseConfig(`cluster: prod\nscaleway: { zone: fr-par-2, project_id: ${PROJECT} }\nfrontend: { name: fe }\n`, '/tmp/onedeck.yaml');
      const result = await collectStatus(cfg, { inventory: async () => undefined, repoHooks: () => ({}), opennebula: async () => ({ hosts: [], vms: [], at: 1 }) });
      const text = formatStatus(result, { json: false, now: Date.now() });
      const json = formatStatus(result, { json: true, now: Date.now() });
      expect(text).toMatch(/rejected the credentials \(401\)/);
      expect(text).toContain('token ********');
      for (const out of [text, json, JSON.stringify(result)]) expect(out).not.toContain(SECRET);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
