import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asArray, asStrings } from '../../src/adapters/opennebula/onejson.js';
import { effectiveHostState, parseHostPool } from '../../src/adapters/opennebula/hosts.js';
import { parseCliJson } from '../../src/adapters/opennebula/client.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/opennebula/${name}`, import.meta.url), 'utf8'));
const NOW = 1764000000 * 1000 + 30_000;
const opts = { now: NOW, staleAfterSeconds: 300 };

describe('onejson', () => {
  it('normalises object, array and empty forms', () => {
    expect(asArray({ A: '1' })).toEqual([{ A: '1' }]);
    expect(asArray([{ A: '1' }, { A: '2' }])).toHaveLength(2);
    expect(asArray({})).toEqual([]);
    expect(asArray(undefined)).toEqual([]);
    expect(asStrings('7')).toEqual(['7']);
    expect(asStrings(['7', '9'])).toEqual(['7', '9']);
    expect(asStrings({})).toEqual([]);
  });
});

describe('parseHostPool', () => {
  it('parses many hosts with states, errors, staleness and allocation', () => {
    const hosts = parseHostPool(fixture('onehost-list-many.json'), opts);
    expect(hosts.map((h) => [h.name, h.stateName])).toEqual([
      ['10.16.0.2', 'MONITORED'],
      ['10.16.0.3', 'MONITORED'],
      ['10.16.0.4', 'ERROR'],
      ['10.16.0.5', 'MONITORED'],
      ['10.16.0.6', 'DISABLED'],
      ['10.16.0.7', 'OFFLINE'],
      ['10.16.0.8', 'INIT'],
    ]);
    const [h0, h1, err, old, , offline, init] = hosts;
    expect(h0).toMatchObject({ id: '0', state: 2, vmIds: ['3', '7'], runningVms: 2, cpuAllocPct: 25, memAllocPct: 26, stale: false, at: NOW });
    expect(h0.monitoredAt).toBe((1764000000 - 20) * 1000);
    expect(h1.vmIds).toEqual(['5']);
    expect(err.error).toMatch(/Error monitoring Host 10\.16\.0\.4/);
    expect(err.stale).toBe(false);
    expect(old.stale).toBe(true);
    expect(offline.stale).toBe(false);
    expect(init.stale).toBe(false);
    expect('monitoredAt' in init).toBe(false);
  });

  it('parses the single-host object form', () => {
    const hosts = parseHostPool(fixture('onehost-list-one.json'), opts);
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ name: '10.16.0.2', vmIds: ['3'] });
  });

  it('parses an empty pool ({}) and an empty answer as no hosts', () => {
    expect(parseHostPool(fixture('onehost-list-empty.json'), opts)).toEqual([]);
    expect(parseHostPool(parseCliJson('', 'onehost list -j'), opts)).toEqual([]);
  });

  it('names legacy states and maps them to the current ones', () => {
    const hosts = parseHostPool(fixture('onehost-list-legacy.json'), opts);
    expect(hosts.map((h) => h.stateName)).toEqual(['MONITORING_MONITORED', 'MONITORING_ERROR', 'MONITORING_INIT', 'MONITORING_DISABLED']);
    expect(hosts.map((h) => effectiveHostState(h.state))).toEqual([2, 3, 0, 4]);
    expect(hosts[1].error).toBe('Error monitoring Host: legacy');
  });

  it('flags a stale timestamp only past stale_after_seconds', () => {
    const hosts = parseHostPool(fixture('onehost-list-many.json'), { now: NOW, staleAfterSeconds: 7200 });
    expect(hosts[3].stale).toBe(false);
  });

  it('rejects malformed JSON with a clear message', () => {
    expect(() => parseCliJson('ONE_AUTH not found', 'onehost list -j')).toThrow(/onehost list -j.*not JSON/);
    expect(() => parseCliJson('{"HOST_POOL": {', 'onehost list -j')).toThrow(/not JSON/);
  });
});
