import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteMatcher } from '../../../src/main/privacy/byte-matcher';
import { localIdentities, parseNetUserFullName, windowsFullName } from '../../../src/main/privacy/identities';
import { HitCounter } from '../../../src/main/privacy/redactor';
import { expandNeedles } from '../../../src/main/privacy/rules';
import { detectTextEncoding, textFilePass } from '../../../src/main/privacy/text-file';
import { redactText, session } from './helpers';

// Every value below is SYNTHETIC (made-up names, addresses, keys) planted to test the rules.

describe('issue 13 forms, one rule each', () => {
  const cases: [string, string, string][] = [
    ['MAC, colons', 'nic 3c:7d:0a:9e:41:b2 up', 'nic <machine> up'],
    [
      'MAC, ipconfig dashes',
      'Physical Address. . . : 3C-7D-0A-9E-41-B2',
      'Physical Address. . . : <machine>',
    ],
    ['MAC, Cisco dots', 'hw 3c7d.0a9e.41b2', 'hw <machine>'],
    ['MAC, keyed bare hex', '{"mac_address": "3C7D0A9E41B2"}', '{"mac_address": "<machine>"}'],
    [
      'Discord webhook',
      'post https://discord.com/api/webhooks/112233445566778899/Wq7-Xk2_pL9mN4vB8cR1tY6uI3oA5sD0fG7hJ2kL9zX4c now',
      'post https://discord.com/api/webhooks/<secret-1> now',
    ],
    [
      'Discord webhook, URL-encoded',
      'u=https%3A%2F%2Fdiscordapp.com%2Fapi%2Fwebhooks%2F112233445566778899%2FWq7-Xk2_pL9mN4vB8cR1tY6uI3oA5sD0fG7h',
      'u=https%3A%2F%2Fdiscordapp.com%2Fapi%2Fwebhooks%2F<secret-1>',
    ],
    [
      'bare Nexus Mods API key',
      'key VGhhbmRyZWxWb3NzTGVha1Rlc3RLZXk=--c2FsdHlzYWx0MTIzNA==--9f2c4b7e1a3d5c6b8e0f2a4c6e8b0d1f3a5c7e9b ok',
      'key <secret-1> ok',
    ],
    ['JSON display_name', '{"display_name": "Thandrel Vöss"}', '{"display_name": "<user>"}'],
    ['JSON full_name', '{"full_name": "Thandrel Vöss"}', '{"full_name": "<user>"}'],
    ['JSON realname', '{"realname": "Thandrel Vöss"}', '{"realname": "<user>"}'],
    ['JSON owner', '{"owner": "Thandrel Vöss"}', '{"owner": "<user>"}'],
    ['JSON name (a person)', '{"id": 7, "name": "Thandrel Vöss"}', '{"id": 7, "name": "<user>"}'],
    [
      'net user Full Name',
      'Full Name                    Thandrel Vöss',
      'Full Name                    <user>',
    ],
    [
      'RegisteredOwner',
      '    RegisteredOwner    REG_SZ    Thandrel Vöss',
      '    RegisteredOwner    REG_SZ    <user>',
    ],
    [
      'URL-encoded profile path, unknown user',
      'f=C%3A%5CUsers%5Ckestrelwing%5CDocuments%5Cx.txt',
      'f=C%3A%5CUsers%5C<user>%5CDocuments%5Cx.txt',
    ],
    [
      'URL-encoded forward slashes',
      'file%3A%2F%2F%2FC%3A%2FUsers%2Fkestrelwing%2FDocuments',
      'file%3A%2F%2F%2FC%3A%2FUsers%2F<user>%2FDocuments',
    ],
    [
      'double-escaped JSON profile path',
      String.raw`{"cmd": "{\"p\":\"C:\\\\Users\\\\kestrelwing\\\\Documents\"}"}`,
      String.raw`{"cmd": "{\"p\":\"C:\\\\Users\\\\<user>\\\\Documents\"}"}`,
    ],
    ['URL-encoded home', 'path=%2Fhome%2Fkestrelwing%2F.config', 'path=%2Fhome%2F<user>%2F.config'],
    ['URL-encoded e-mail', 'to=thandrel.voss%40example.net&x=1', 'to=<email-1>&x=1'],
  ];
  for (const [name, input, want] of cases)
    it(name, () => {
      expect(redactText(session(), input).out).toBe(want);
    });

  it('a URL-encoded name is also replaced where it is written plainly', () => {
    const { out } = redactText(session(), 'f=C%3A%5CUsers%5CJ%C3%B6rgen%5CDocuments\nhello Jörgen');
    expect(out).toBe('f=C%3A%5CUsers%5C<user>%5CDocuments\nhello <user>');
  });

  it('a webhook token is replaced even where it appears without its URL', () => {
    const token = 'Wq7-Xk2_pL9mN4vB8cR1tY6uI3oA5sD0fG7hJ2kL9zX4c';
    const { out } = redactText(
      session(),
      `https://discord.com/api/webhooks/112233445566778899/${token}\nretry with ${token}`,
    );
    expect(out).not.toContain(token);
  });

  it('crash-log look-alikes stay: NPC "Full Name:", Owner: objects, dates, GUIDs, versions', () => {
    const t = [
      '\t\tFull Name: "Virtual Settler"',
      'BSFadeNode(Name: `skeleton.nif`, Owner: `Character(FormId: 2C1DD45B)`)',
      '{"name": "SkyrimDiagSummary", "owner": "SkyrimSE.exe"}',
      '2026-04-12 21:30:00 {6F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8} v1.6.1170.0 00-00-00-00-00-00',
      'placeholders 00:00:00:00:00:00 and FF-FF-FF-FF-FF-FF',
    ].join('\n');
    expect(redactText(session(), t).out).toBe(t);
  });
});

describe('the local full name (injectable identity source)', () => {
  it('is taken from the source and replaced wherever it appears, parts and spellings included', () => {
    const local = localIdentities(
      { USERNAME: 'thandrelv', COMPUTERNAME: 'GLIMMERWARD7' },
      { account: () => 'thandrelv', host: () => 'GLIMMERWARD7', fullName: () => 'Thandrel Vöss' },
    );
    expect(local).toContainEqual({
      category: 'user',
      value: 'Thandrel Vöss',
      learnedFrom: "this computer (the account's full name)",
    });
    const { out } = redactText(session(local), 'saved by Thandrel Vöss (Thandrel.Voss, THANDREL) here');
    // A second person of this computer (the account is <user>): its own stand-in.
    expect(out).toBe('saved by <user-2> (<user-2>, <user-2>) here');
  });

  it('reads `net user` output in any display language (value from column 30)', () => {
    const en =
      'User name                    thandrelv\r\nFull Name                    Thandrel Vöss\r\nComment\r\n';
    const de = 'Benutzername                 thandrelv\r\nVollständiger Name           Thandrel Vöss\r\n';
    expect(parseNetUserFullName(en)).toBe('Thandrel Vöss');
    expect(parseNetUserFullName(de)).toBe('Thandrel Vöss');
    expect(parseNetUserFullName('User name                    x\r\nFull Name\r\n')).toBeNull();
  });

  it('asks Windows once (net user, then PowerShell), and nothing elsewhere', () => {
    const calls: string[] = [];
    expect(windowsFullName('linux', () => Buffer.alloc(0))).toBeNull();
    const run = (file: string) => {
      calls.push(file);
      if (file === 'net.exe') throw new Error('The user name could not be found.');
      return Buffer.from('Thandrel Vöss\r\n', 'utf8');
    };
    expect(windowsFullName('win32', run)).toBe('Thandrel Vöss');
    expect(windowsFullName('win32', run)).toBe('Thandrel Vöss');
    expect(calls.filter((c) => c === 'powershell.exe').length).toBeLessThanOrEqual(1);
  });
});

describe('UTF-16BE text files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-u16be-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = 'path C:\\Users\\thandrelv\\x\r\nbye thandrelv, host GLIMMERWARD7\r\n';
  const want = 'path C:\\Users\\<user>\\x\r\nbye <user>, host <machine>\r\n';

  for (const bom of [true, false])
    it(`${bom ? 'with' : 'without'} a BOM: detected, redacted, written back as UTF-16BE`, async () => {
      const body = Buffer.from(text, 'utf16le').swap16();
      const p = join(dir, `be-${bom}.log`);
      writeFileSync(p, bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), body]) : body);
      expect(detectTextEncoding(readFileSync(p))).toEqual({ encoding: 'utf16be', bom: bom ? 2 : 0 });
      const s = session([{ category: 'machine', value: 'GLIMMERWARD7', learnedFrom: 'COMPUTERNAME' }]);
      await textFilePass(p, { engine: s.engine, purpose: 'discover', learnedFrom: 'f' });
      const chunks: Buffer[] = [];
      await textFilePass(p, {
        engine: s.engine,
        purpose: 'redact',
        learnedFrom: 'f',
        counter: new HitCounter(),
        tokenOf: s.tokenOf,
        write: async (b) => void chunks.push(Buffer.from(b)),
      });
      const out = Buffer.concat(chunks);
      const head = bom ? 2 : 0;
      if (bom) expect(out.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
      expect(Buffer.from(out.subarray(head)).swap16().toString('utf16le')).toBe(want);
    });
});

describe('the matcher scales instead of refusing', () => {
  it('binary needles expand their classes', () => {
    expect(expandNeedles(['[0-9].[0-9]'], 'x')).toHaveLength(100);
    expect(expandNeedles([':[0-9a-f]'], 'x')).toContain(':e');
    expect(() => expandNeedles(['[0-9a-z][0-9a-z][0-9a-z]'], 'x')).toThrow(/too many/);
  });

  it('finds every one of 200,000 patterns (far past the dense table), and two rules sharing a needle', () => {
    const patterns = Array.from({ length: 200_000 }, (_, i) => ({
      bytes: Buffer.from(`k${(i * 7919).toString(36)}#`),
      data: i,
    }));
    patterns.push({ bytes: Buffer.from('k0#'), data: -1 });
    const m = new ByteMatcher(patterns);
    expect(m.stateCount).toBeGreaterThan(16_384);
    const probe = [5, 199_999, 123_456, 0];
    const text = Buffer.from(probe.map((i) => `..K${(i * 7919).toString(36).toUpperCase()}#`).join(' '));
    const hits: number[] = [];
    m.scan(text, 0, text.length, (pi) => hits.push(patterns[pi]!.data));
    expect(hits.sort((a, b) => a - b)).toEqual([-1, ...probe].sort((a, b) => a - b));
  });

  it('a log with 20,000 distinct IPs and a maximal "always redact" list redacts instead of failing', () => {
    const words = Array.from({ length: 500 }, (_, i) => `nick${i}name${'x'.repeat(150)}`.slice(0, 200));
    const s = session([], words);
    const ips = Array.from(
      { length: 20_000 },
      (_, i) => `peer 10.${(i >> 8) & 255}.${i & 255}.${(i % 200) + 20}`,
    );
    const { out } = redactText(s, `${ips.join('\n')}\n${words[499]} said hi`);
    expect(out).not.toMatch(/10\.\d+\.\d+\.\d+/);
    expect(out).not.toContain('nick499name');
  });
});
