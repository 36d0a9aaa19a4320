// Stand-in `tofu` of the sandbox cluster: version, init, plan, show -json, apply, output -json,
// with OpenTofu's output formats, acting on the sandbox only through its Scaleway API.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { buildInventory } from '../inventory-from-wire.js';
import { parseTofuArgs, type TofuArgs } from './tofu-args.js';
import { applyChanges, fetchSnapshot } from './tofu-apply.js';
import { acquireLock, isLockError } from './tofu-lock.js';
import { actualResources, desiredHosts, diff, fingerprint, type PlannedChange, type Tfvars } from './tofu-model.js';
import { loadCreds, scwClient } from './scw-http.js';
import { isInitialized, markInitialized, readTfState, writeTfState } from './tofu-state.js';
import { changeSummary, diagnostic, outputsLine, plannedChange, refreshComplete, refreshStart, resourceRef, TOFU_VERSION, uiLine, versionLine } from './tofu-ui.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PlanFile {
  format: 'onedeck-sandbox-plan';
  tofu_version: string;
  destroy: boolean;
  vars: Tfvars;
  changes: PlannedChange[];
  ids: Record<string, string>;
  fingerprint: string;
  serial: number;
  timestamp: string;
}

class Out {
  constructor(private readonly json: boolean) {}
  line(l: string): void {
    if (this.json) process.stdout.write(l + '\n');
    else {
      const o = JSON.parse(l) as { '@message': string; type: string; diagnostic?: { summary: string; detail: string } };
      if (o.type === 'version') return;
      if (o.diagnostic) process.stderr.write(`\n│ Error: ${o.diagnostic.summary}\n│\n${o.diagnostic.detail.split('\n').map((x) => `│ ${x}`).join('\n')}\n╵\n`);
      else process.stdout.write(o['@message'] + '\n');
    }
  }
  fail(summary: string, detail = '', address?: string): number {
    this.line(diagnostic('error', summary, detail, address));
    return 1;
  }
}

function readVars(dir: string, files: string[]): Tfvars | null {
  const candidates = [join(dir, 'onedeck.auto.tfvars.json'), ...files.map((f) => (isAbsolute(f) ? f : resolve(dir, f)))];
  let vars: Partial<Tfvars> | null = null;
  for (const f of candidates) if (existsSync(f) && f.endsWith('.json')) vars = { ...(vars ?? {}), ...(JSON.parse(readFileSync(f, 'utf8')) as Partial<Tfvars>) };
  if (!vars?.cluster_name || !vars.frontend_name || !vars.zone) return null;
  return { region: vars.zone.replace(/-\d+$/, ''), hypervisors: [], project_id: '', ...vars } as Tfvars;
}

async function plan(a: TofuArgs, dir: string, out: Out): Promise<number> {
  if (!isInitialized(dir)) {
    return out.fail('Required plugins are not installed', 'The installed provider plugins are not consistent with the packages selected in the dependency lock file:\n  - registry.opentofu.org/scaleway/scaleway: there is no package for registry.opentofu.org/scaleway/scaleway 2.57.0 cached in .terraform/providers\n\nOpenTofu uses external plugins to integrate with a variety of different infrastructure services. To download the plugins required for this configuration, run:\n  tofu init');
  }
  const vars = readVars(dir, a.varFiles);
  if (!vars) return out.fail('No value for required variable', 'The root module input variable "frontend_name" is not set, and has no default value. Use a -var or -var-file command line argument to provide a value for this variable.');
  const creds = loadCreds();
  if (!creds) return out.fail('scaleway-sdk-go: credentials not found', 'Set SCW_ACCESS_KEY and SCW_SECRET_KEY, or configure a profile in the scw config file.');
  const lock = a.lock ? acquireLock(dir, 'OperationTypePlan') : { release() {} };
  if (isLockError(lock)) return out.fail(lock.summary, lock.detail);
  try {
    const api = scwClient(creds);
    const snap = await fetchSnapshot(api, vars.zone, vars.region);
    const actual = actualResources(snap, { cluster_name: vars.cluster_name, zone: vars.zone, region: vars.region });
    for (const [key, id] of Object.entries(actual.scaleway_baremetal_server?.host ?? {})) {
      const r = resourceRef('scaleway_baremetal_server', 'host', key);
      out.line(refreshStart(r, id));
      out.line(refreshComplete(r, id));
    }
    await sleep(400);
    const changes = diff(a.destroy ? [] : desiredHosts(vars), actual);
    for (const c of changes) out.line(plannedChange(resourceRef(c.type, c.name, c.key), c.action, c.action === 'delete' ? 'delete_because_no_resource_config' : undefined));
    const add = changes.filter((c) => c.action === 'create').length;
    const remove = changes.filter((c) => c.action === 'delete').length;
    out.line(changeSummary(add, 0, remove, 'plan'));
    if (a.out) {
      const ids = Object.fromEntries(changes.map((c) => [c.addr, actual[c.type]?.[c.name]?.[c.key] ?? '']));
      const pf: PlanFile = { format: 'onedeck-sandbox-plan', tofu_version: TOFU_VERSION, destroy: a.destroy, vars, changes, ids, fingerprint: fingerprint(actual), serial: readTfState(dir)?.serial ?? 0, timestamp: new Date().toISOString() };
      writeFileSync(resolve(dir, a.out), JSON.stringify(pf), { mode: 0o600 });
    }
    return 0;
  } catch (err) {
    return out.fail((err as Error).message);
  } finally {
    lock.release();
  }
}

function show(a: TofuArgs, dir: string): number {
  const file = a.positional[0];
  if (!file || !existsSync(resolve(dir, file))) {
    process.stderr.write(`\n│ Error: Failed to read the given file as a state or plan file\n│\n│ State read error: open ${file ?? ''}: no such file or directory\n╵\n`);
    return 1;
  }
  const pf = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as PlanFile;
  const doc = {
    format_version: '1.2',
    terraform_version: TOFU_VERSION,
    variables: Object.fromEntries(Object.entries(pf.vars).map(([k, v]) => [k, { value: v }])),
    planned_values: { root_module: {} },
    resource_changes: pf.changes.map((c) => ({
      address: c.addr,
      mode: 'managed',
      type: c.type,
      name: c.name,
      index: c.key,
      provider_name: 'registry.opentofu.org/scaleway/scaleway',
      change: { actions: [c.action], before: c.action === 'delete' ? { id: pf.ids[c.addr] } : null, after: c.action === 'create' ? {} : null, after_unknown: c.action === 'create' ? { id: true } : {}, before_sensitive: false, after_sensitive: false },
      ...(c.action === 'delete' ? { action_reason: 'delete_because_no_resource_config' } : {}),
    })),
    configuration: { provider_config: { scaleway: { name: 'scaleway', full_name: 'registry.opentofu.org/scaleway/scaleway', version_constraint: '~> 2.57' } }, root_module: {} },
    timestamp: pf.timestamp,
    errored: false,
  };
  process.stdout.write(JSON.stringify(doc) + '\n');
  return 0;
}

async function apply(a: TofuArgs, dir: string, out: Out): Promise<number> {
  const file = a.positional[0];
  if (!file && !a.autoApprove) return out.fail('No saved plan file given', 'Non-interactive runs need a saved plan file or -auto-approve.');
  if (!file) {
    const tmp = join(dir, '.terraform', 'sandbox-auto.tfplan');
    const rc = await plan({ ...a, out: tmp }, dir, new Out(a.json));
    if (rc !== 0) return rc;
    return apply({ ...a, positional: [tmp] }, dir, out);
  }
  const path = resolve(dir, file);
  if (!existsSync(path)) return out.fail('Failed to load plan file', `Could not read plan from ${file}: open ${file}: no such file or directory`);
  const pf = JSON.parse(readFileSync(path, 'utf8')) as PlanFile;
  const creds = loadCreds();
  if (!creds) return out.fail('scaleway-sdk-go: credentials not found', 'Set SCW_SECRET_KEY or configure the scw config file.');
  const lock = a.lock ? acquireLock(dir, 'OperationTypeApply') : { release() {} };
  if (isLockError(lock)) return out.fail(lock.summary, lock.detail);
  const ac = new AbortController();
  const onSignal = () => {
    if (ac.signal.aborted) return;
    out.line(uiLine('info', 'Interrupt received.\nPlease wait for OpenTofu to exit or data loss may occur.\nGracefully shutting down...', 'log'));
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const api = scwClient(creds);
    const v = pf.vars;
    const snap = await fetchSnapshot(api, v.zone, v.region);
    const actual = actualResources(snap, { cluster_name: v.cluster_name, zone: v.zone, region: v.region });
    if (fingerprint(actual) !== pf.fingerprint || (readTfState(dir)?.serial ?? 0) !== pf.serial) {
      return out.fail('Saved plan is stale', 'The given plan file can no longer be applied because the state was changed by another operation after the plan was created.');
    }
    const ok = await applyChanges({ api, vars: v, emit: (l) => out.line(l), signal: ac.signal }, pf.changes, snap, (c) => pf.ids[c.addr] || undefined);
    const after = await fetchSnapshot(api, v.zone, v.region);
    const inv = buildInventory(after, { cluster: v.cluster_name, zone: v.zone, region: v.region, projectId: v.project_id, frontend: v.frontend_name });
    const st = writeTfState(dir, inv, actualResources(after, { cluster_name: v.cluster_name, zone: v.zone, region: v.region }), readTfState(dir));
    if (ac.signal.aborted) return out.fail('execution halted');
    if (!ok) return 1;
    const add = pf.changes.filter((c) => c.action === 'create').length;
    const remove = pf.changes.filter((c) => c.action === 'delete').length;
    out.line(changeSummary(add, 0, remove, pf.destroy ? 'destroy' : 'apply'));
    out.line(outputsLine(Object.fromEntries(Object.entries(st.outputs).map(([k, o]) => [k, { sensitive: false, type: o.type, value: o.value }]))));
    return 0;
  } catch (err) {
    return out.fail((err as Error).message);
  } finally {
    lock.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function output(a: TofuArgs, dir: string): number {
  const st = readTfState(dir);
  const outputs = st?.outputs ?? {};
  const name = a.positional[0];
  if (name) {
    const o = outputs[name];
    if (!o) {
      process.stderr.write(`\n│ Error: Output "${name}" not found\n│\n│ The output variable requested could not be found in the state file. If you recently added this to your configuration, be sure to run \`tofu apply\`, since the state won't be updated with new output variables until that command is run.\n╵\n`);
      return 1;
    }
    process.stdout.write(JSON.stringify(o.value) + '\n');
    return 0;
  }
  const doc = Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, { sensitive: Boolean(o.sensitive), type: o.type, value: o.value }]));
  process.stdout.write((a.json ? JSON.stringify(doc, null, 2) : Object.keys(doc).map((k) => `${k} = ${JSON.stringify(doc[k].value)}`).join('\n')) + '\n');
  return 0;
}

function init(dir: string): number {
  const again = isInitialized(dir);
  markInitialized(dir);
  const lines = [
    '',
    'Initializing the backend...',
    '',
    'Initializing provider plugins...',
    ...(again
      ? ['- Reusing previous version of scaleway/scaleway from the dependency lock file', '- Using previously-installed scaleway/scaleway v2.57.0']
      : ['- Finding scaleway/scaleway versions matching "~> 2.57"...', '- Installing scaleway/scaleway v2.57.0...', '- Installed scaleway/scaleway v2.57.0 (signed, key ID F5BF26CADF6F9614)', '', 'Providers are signed by their developers.', 'If you\'d like to know more about provider signing, you can read about it here:', 'https://opentofu.org/docs/cli/plugins/signing/']),
    '',
    'OpenTofu has been successfully initialized!',
    '',
    'You may now begin working with OpenTofu. Try running "tofu plan" to see',
    'any changes that are required for your infrastructure. All OpenTofu commands',
    'should now work.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const a = parseTofuArgs(argv);
  const dir = resolve(a.chdir ?? process.cwd());
  if (a.chdir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
  const out = new Out(a.json);
  switch (a.command) {
    case 'version':
      process.stdout.write(a.json ? JSON.stringify({ terraform_version: TOFU_VERSION, platform: 'linux_amd64', provider_selections: { 'registry.opentofu.org/scaleway/scaleway': '2.57.0' }, terraform_outdated: false }, null, 2) + '\n' : `OpenTofu v${TOFU_VERSION}\non linux_amd64\n+ provider registry.opentofu.org/scaleway/scaleway v2.57.0\n`);
      return 0;
    case 'init':
      return init(dir);
    case 'plan':
      if (a.json) out.line(versionLine());
      return plan(a, dir, out);
    case 'apply':
      if (a.json) out.line(versionLine());
      return apply(a, dir, out);
    case 'show':
      return show(a, dir);
    case 'output':
      return output(a, dir);
    default:
      process.stderr.write(`OpenTofu has no command named "${a.command}".\n\nTo see all of OpenTofu's top-level commands, run:\n  tofu -help\n\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`tofu: ${err.message}\n`);
    process.exit(1);
  },
);
