import { describe, expect, it } from 'vitest';
import { createMasker, displayCommand, MASK } from '../../src/jobs/mask.js';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const CANARY = 'canary-Zq8#"x\\y-1d2e';
const SCW_SECRET = fakeSecretKey('7');

describe('mask', () => {
  const mask = createMasker([CANARY, SCW_SECRET, '', 'ab']);

  it('masks every given secret wherever it appears, also JSON- and URL-escaped', () => {
    expect(mask(`password is ${CANARY} ok`)).toBe(`password is ${MASK} ok`);
    expect(mask(JSON.stringify({ one_pass: CANARY }))).not.toContain('canary-Zq8');
    expect(mask(`{"msg":${JSON.stringify(`got ${CANARY}`)}}`)).not.toContain('canary');
    expect(mask(`https://x/?p=${encodeURIComponent(CANARY)}`)).not.toContain('canary');
    expect(mask(`SCW_SECRET_KEY=${SCW_SECRET}`)).toBe(`SCW_SECRET_KEY=${MASK}`);
    expect(mask(`a ${SCW_SECRET} b ${SCW_SECRET}`)).toBe(`a ${MASK} b ${MASK}`);
  });

  it('masks a non-ASCII secret as the ansible jsonl callback prints it (Python json.dumps, \\uXXXX)', () => {
    const secret = 'pässwörd-ñ-🔑';
    const m = createMasker([secret]);
    // json.dumps({"one_pass": secret}) with Python's default ensure_ascii=True
    const pythonJson = '{"cmd":"oneuser passwd 0 p\\u00e4ssw\\u00f6rd-\\u00f1-\\ud83d\\udd11"}';
    expect(m(pythonJson)).toBe(`{"cmd":"oneuser passwd 0 ${MASK}"}`);
    expect(m(`raw ${secret}`)).toBe(`raw ${MASK}`);
  });

  it("overlapping secrets (one's tail another's start) are masked as one run, leaking neither part", () => {
    const m = createMasker(['abcdef12', 'ef12ghij']);
    expect(m('x abcdef12ghij y')).toBe(`x ${MASK} y`);
    expect(m('abcdef12 and ef12ghij')).toBe(`${MASK} and ${MASK}`);
  });

  it("masks a secret as Go's encoding/json writes it (tofu -json, hclog): &, <, > as \\u0026, \\u003c, \\u003e", () => {
    const secret = 'Tr0ub4dor&3<x>';
    const m = createMasker([secret]);
    const goJson = '{"@message":"value Tr0ub4dor\\u00263\\u003cx\\u003e set"}';
    expect(m(goJson)).toBe(`{"@message":"value ${MASK} set"}`);
  });

  it('a line cut right after a whole secret whose end repeats its start keeps that secret masked', () => {
    for (const secret of ['s3cr3ts', 'abcXabc', 'Tr0ub4dor&3T']) {
      const m = createMasker([secret]);
      const cut = m.partial(`${'x'.repeat(20)}${secret}`);
      expect(cut).toBe(`${'x'.repeat(20)}${MASK}`);
      // a secret's beginning at the cut is still dropped
      expect(m.partial(`${'x'.repeat(20)}${secret.slice(0, 4)}`)).toBe('x'.repeat(20));
    }
  });

  it('ignores empty and very short values instead of shredding every line', () => {
    expect(mask('ab abc')).toBe('ab abc');
    expect(mask.count).toBeGreaterThanOrEqual(2);
  });

  it('masks token shapes it was not told about', () => {
    const m = createMasker([]);
    expect(m(`access key ${fakeAccessKey('Q')} used`)).toBe(`access key SCW${MASK} used`);
    expect(m('X-Auth-Token: 0f1e2d3c-aaaa-bbbb-cccc-1234567890ab')).toBe(`X-Auth-Token: ${MASK}`);
    expect(m('"one_pass": "hunter2hunter2"')).toBe(`"one_pass": "${MASK}"`);
    expect(m('scw_flexible_ip_token=abcdef123456')).toBe(`scw_flexible_ip_token=${MASK}`);
    expect(m('one_driver_token_path=/var/lib/one/.scw-flexip.token')).toBe('one_driver_token_path=/var/lib/one/.scw-flexip.token');
    // a server id (UUID) is not a secret unless given as one
    expect(m('server fr-par-2/145d2bff-27d7-401d-b63e-6cf5ca3d9386')).toContain('145d2bff-27d7-401d-b63e-6cf5ca3d9386');
  });

  it('masks secrets in a displayed command line', () => {
    const line = displayCommand('ansible-playbook', ['-e', `one_pass=${CANARY}`, 'site.yml', `--token=${SCW_SECRET}`], mask);
    expect(line).not.toContain('canary');
    expect(line).not.toContain(SCW_SECRET);
    expect(line).toContain('site.yml');
    expect(displayCommand('tofu', ['plan', '-out=/a b/p'], mask)).toBe("tofu plan '-out=/a b/p'");
  });

  it('masks a secret JSON-encoded inside JSON, up to three strings deep, by each encoder', () => {
    const secret = 'S3cr"et\\pa55-é&<';
    const m = createMasker([secret]);
    const pyAscii = (t: string) => t.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const once = JSON.stringify({ v: secret });
    const twice = JSON.stringify({ msg: once });
    const thrice = JSON.stringify({ event: twice });
    for (const t of [once, twice, thrice, pyAscii(twice), pyAscii(JSON.stringify({ msg: pyAscii(once) }))]) {
      const out = m(t);
      expect(out).toContain(MASK);
      expect(out).not.toContain('pa55');
    }
    // the masked text is still the JSON it was
    expect(JSON.parse(JSON.parse(JSON.parse(m(thrice)).event).msg)).toEqual({ v: MASK });
  });

  it('masks a keyed value whose quotes come escaped (JSON inside a JSON string), leaving the JSON whole', () => {
    const m = createMasker([]);
    const inner = JSON.stringify({ user: 'admin', password: 'hunter2hunter2', db_password: 'p\\q' });
    const event = JSON.stringify({ stdout: inner });
    const deeper = JSON.stringify({ event });
    for (const t of [event, deeper]) expect(m(t)).not.toMatch(/hunter2|p\\+q/);
    expect(JSON.parse(JSON.parse(m(event)).stdout)).toEqual({ user: 'admin', password: MASK, db_password: MASK });
    expect(JSON.parse(JSON.parse(JSON.parse(m(deeper)).event).stdout)).toEqual({ user: 'admin', password: MASK, db_password: MASK });
    // a raw value with a backslash is masked whole
    expect(m('password=ab\\cd rest')).toBe(`password=${MASK} rest`);
  });

  it('masks a quoted keyed value whole whatever quotes and backslashes it holds, up to three strings deep', () => {
    const m = createMasker([]);
    for (const pw of ['pa"ss', '"abc', 'ab\\', '\\\\', 'x\\"y\\\\z', "it's"]) {
      const d0 = JSON.stringify({ password: pw, user: 'u' });
      const d1 = JSON.stringify({ out: d0 });
      const d2 = JSON.stringify({ ev: d1 });
      expect(JSON.parse(m(d0))).toEqual({ password: MASK, user: 'u' });
      expect(JSON.parse(JSON.parse(m(d1)).out)).toEqual({ password: MASK, user: 'u' });
      expect(JSON.parse(JSON.parse(JSON.parse(m(d2)).ev).out)).toEqual({ password: MASK, user: 'u' });
    }
    // an empty value stays empty; a value without its closing quote is masked to the line's end
    expect(m('{"password": ""}')).toBe('{"password": ""}');
    expect(m('password: "abc def\nnext')).toBe(`password: "${MASK}\nnext`);
  });

  it("a secret that is another's JSON form gets its own deeper forms, in any order", () => {
    const a = 'ab"cd-x';
    const b = JSON.stringify(a).slice(1, -1);
    const deep = JSON.stringify({ e: JSON.stringify({ e: JSON.stringify({ v: b }) }) });
    for (const order of [[a, b], [b, a], [b]]) expect(createMasker(order)(deep)).not.toContain('cd-x');
  });
});
