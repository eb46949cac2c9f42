import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import defaultRuleFile from '../../../resources/redaction/default.json';
import { compileRuleFile, loadRules, RuleFileError } from '../../../src/main/privacy/rules';
import { fitToken, HitCounter } from '../../../src/main/privacy/redactor';
import { textFilePass } from '../../../src/main/privacy/text-file';
import { RedactionReport } from '../../../src/shared/domain/bundle';
import { findAnyEncoding, redactText, session } from './helpers';

// Every value below is SYNTHETIC (made-up names, addresses and secrets) planted to test the rules.

describe('profile paths in every spelling', () => {
  const cases: [string, string][] = [
    [
      String.raw`C:\Users\kimchulsoo\AppData\Local\Skyrim Special Edition\plugins.txt`,
      String.raw`C:\Users\<user>\AppData\Local\Skyrim Special Edition\plugins.txt`,
    ],
    ['C:/Users/kimchulsoo/AppData/Roaming', 'C:/Users/<user>/AppData/Roaming'],
    [String.raw`"dir": "C:\\Users\\kimchulsoo\\Games"`, String.raw`"dir": "C:\\Users\\<user>\\Games"`],
    [String.raw`\\?\C:\Users\kimchulsoo\Documents`, String.raw`\\?\C:\Users\<user>\Documents`],
    [String.raw`c:\users\KIMCHULSOO\desktop`, String.raw`c:\users\<user>\desktop`],
    [
      String.raw`\Device\HarddiskVolume3\Users\kimchulsoo\x.dll`,
      String.raw`\Device\HarddiskVolume3\Users\<user>\x.dll`,
    ],
    [
      String.raw`C:\Documents and Settings\kimchulsoo\Application Data`,
      String.raw`C:\Documents and Settings\<user>\Application Data`,
    ],
    [String.raw`D:\Profiles\kimchulsoo\Saves`, String.raw`D:\Profiles\<user>\Saves`],
    [String.raw`C:\Users\John Smith\Documents\My Games`, String.raw`C:\Users\<user>\Documents\My Games`],
    ['/home/deckuser/.steam/steam/steamapps', '/home/<user>/.steam/steam/steamapps'],
    [String.raw`Z:\home\deckuser\Games`, String.raw`Z:\home\<user>\Games`],
  ];
  for (const [input, want] of cases)
    it(JSON.stringify(input), () => {
      expect(redactText(session(), input).out).toBe(want);
    });

  it('keeps C:\\Users\\Public and Default, which name nobody', () => {
    const t = String.raw`C:\Users\Public\Documents and C:\Users\Default\NTUSER.DAT`;
    expect(redactText(session(), t).out).toBe(t);
  });

  it('learns the name from a path and replaces it everywhere else, in any case', () => {
    const s = session();
    const t = [String.raw`C:\Users\kimchulsoo\x.log`, 'Welcome back, KimChulSoo!', 'owner=kimchulsoo'].join(
      '\n',
    );
    const { out } = redactText(s, t);
    expect(out).not.toMatch(/kimchulsoo/i);
    expect(out.split('\n')[1]).toBe('Welcome back, <user>!');
  });

  it('a Korean user name in a path, in JSON and in prose with a particle', () => {
    const s = session();
    const t = String.raw`{"game_exe_dir":"C:\\Users\\김철수\\Games"} 김철수님 안녕하세요`;
    const { out } = redactText(s, t);
    expect(out).toBe(String.raw`{"game_exe_dir":"C:\\Users\\<user>\\Games"} <user>님 안녕하세요`);
  });

  it('OneDrive for Business folders lose the organisation; redirected Documents lose their root', () => {
    const { out } = redactText(
      session(),
      String.raw`C:\Users\kimchulsoo\OneDrive - Contoso Ltd\Documents\My Games\Skyrim Special Edition` +
        '\n' +
        String.raw`D:\Documents\My Games\Skyrim Special Edition\SKSE\skse64.log`,
    );
    expect(out).toBe(
      String.raw`C:\Users\<user>\OneDrive - <org>\Documents\My Games\Skyrim Special Edition` +
        '\n' +
        String.raw`<documents>\My Games\Skyrim Special Edition\SKSE\skse64.log`,
    );
  });

  it("keeps a mod author's build path (no profile, no My Games) as it is", () => {
    const t = String.raw`E:\Documents\source\repos\Buffout4\src\main.cpp:265`;
    expect(redactText(session(), t).out).toBe(t);
  });

  it('environment blocks and UNC hosts: user, machine, domain', () => {
    const { out } = redactText(
      session(),
      String.raw`USERNAME=kimchulsoo COMPUTERNAME=GAMINGRIG-01 USERDOMAIN=CONTOSO LOGONSERVER=\\GAMINGRIG-01 \\NAS-BOX\share\mods`,
    );
    expect(out).toBe(
      String.raw`USERNAME=<user> COMPUTERNAME=<machine> USERDOMAIN=<machine-2> LOGONSERVER=\\<machine> \\<machine-3>\share\mods`,
    );
  });
});

describe('accounts, addresses and secrets', () => {
  it('Steam, Epic and GOG ids', () => {
    const { out } = redactText(
      session(),
      String.raw`steamid 76561198012345678, C:\Program Files (x86)\Steam\userdata\52719934\config, [U:1:52719934], -epicuserid=0123456789abcdef0123456789abcdef -epicusername="KimGamer", "galaxyUserId": "48628349957132247"`,
    );
    expect(out).toBe(
      String.raw`steamid <steam-id-1>, C:\Program Files (x86)\Steam\userdata\<steam-id-2>\config, [U:1:<steam-id-2>], -epicuserid=<epic-id-1> -epicusername="<user>", "galaxyUserId": "<gog-id-1>"`,
    );
  });

  it('e-mail addresses, but not MSVC mangled names', () => {
    const { out } = redactText(session(), 'contact jane.roe@example.com or ??0Foo@Bar@@QEAA@XZ');
    expect(out).toBe('contact <email-1> or ??0Foo@Bar@@QEAA@XZ');
  });

  it('IPv4 addresses but never dotted versions', () => {
    const t = [
      'ApplicationVersion: 1.5.97.0',
      'SkyrimSE.exe v1.6.1170.0',
      'Version=1.0.0.0, Culture=neutral',
      String.raw`C:\Program Files\SentinelOne\Sentinel Agent 4.2.3.128\InProcessClient32.dll`,
      'Fallout 4 v1.10.163',
      'connecting to 203.0.113.77:27015 from 10.1.2.3',
    ].join('\n');
    const lines = redactText(session(), t).out.split('\n');
    expect(lines.slice(0, 5)).toEqual(t.split('\n').slice(0, 5));
    expect(lines[5]).toBe('connecting to <ip-1>:27015 from <ip-2>');
  });

  it('IPv6 addresses but not C++ scopes, hex or clock times', () => {
    const t =
      'peer fe80::1ff:fe23:4567:890a%12 / RE::TESForm::Face::Add / 12:34:56 / 2001:db8::8a2e:370:7334';
    expect(redactText(session(), t).out).toBe('peer <ip-1> / RE::TESForm::Face::Add / 12:34:56 / <ip-2>');
  });

  it('secrets by key, bearer tokens, URL credentials, JWTs and known token formats', () => {
    const t = [
      'api_key=sk_live_51HkZq2eZvKYlo2C',
      '"password": "hunter2hunter2"',
      'Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543',
      'https://kim:s3cr3tpass@mods.example.net/api',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'PublicKeyToken=b77a5c561934e089 token: 3 ShowPassword: false',
    ].join('\n');
    expect(redactText(session(), t).out.split('\n')).toEqual([
      'api_key=<secret-1>',
      '"password": "<secret-2>"',
      'Authorization: Bearer <secret-3>',
      'https://<secret-4>@mods.example.net/api',
      '<jwt-1>',
      '<secret-5>',
      'PublicKeyToken=b77a5c561934e089 token: 3 ShowPassword: false',
    ]);
  });

  it('cards (Luhn, grouped or quoted) and phones; hex, offsets, FormIDs, timestamps and 64-bit payloads untouched', () => {
    const keep = [
      'crash-2024-01-30-11-15-15.log',
      '[ 0] 0x7FFBFA1D4D8C KERNELBASE.dll+0064D8C',
      'Fallout4.exe+0167895 -> 1312083+0x65',
      'FormId: 00000007 File: `Skyrim.esm` RSP+20 0x7FF6F329C318',
      '{"i":70000,"t_ms":1234.5,"a":4012888888881881,"b":13418060400001000}',
      'dump_identity.last_write_time_utc_100ns: 134180604000010000',
      '2023-12-21 07:54:46 [+1234 bytes]',
    ];
    const { out } = redactText(
      session(),
      [
        ...keep,
        'card 4111 1111 1111 1111',
        '"cc": "5555555555554444"',
        'tel: +82 10-1234-5678',
        'call (555) 123-4567 or 010-9876-5432',
      ].join('\n'),
    );
    const lines = out.split('\n');
    expect(lines.slice(0, keep.length)).toEqual(keep);
    expect(lines.slice(keep.length)).toEqual([
      'card <card-1>',
      '"cc": "<card-2>"',
      'tel: <phone-1>',
      'call <phone-2> or <phone-3>',
    ]);
  });

  it('a Windows SID', () => {
    expect(redactText(session(), 'sid S-1-5-21-1004336348-1177238915-682003330-1001 end').out).toBe(
      'sid <sid-1> end',
    );
  });
});

describe('identities, stand-ins and the report', () => {
  it('local machine values and extra words are replaced wherever they appear', () => {
    const s = session(
      [
        { category: 'user', value: 'jroe', learnedFrom: 'USERNAME' },
        { category: 'machine', value: 'ROE-PC', learnedFrom: 'COMPUTERNAME' },
      ],
      ['Dragonborn Guild'],
    );
    const { out, hits } = redactText(s, 'jroe logged in on ROE-PC (roe-pc) for the dragonborn guild raid');
    expect(out).toBe('<user> logged in on <machine> (<machine>) for the <redacted-1> raid');
    expect(hits).toEqual({ 'identity:machine': 2, 'identity:user': 1, 'identity:word': 1 });
  });

  it('short or generic names are not scrubbed from every word', () => {
    const s = session([
      { category: 'user', value: 'root', learnedFrom: 'account' },
      { category: 'user', value: 'li', learnedFrom: 'USERNAME' },
    ]);
    expect(redactText(s, 'root node list light').out).toBe('root node list light');
  });

  it('the same value gets the same stand-in in every file; the report holds no original value', () => {
    const s = session([{ category: 'user', value: 'kimchulsoo', learnedFrom: 'USERNAME' }]);
    s.label('file:1', 'a.log');
    s.label('file:2', 'b.log');
    const a = redactText(s, 'kimchulsoo jane.roe@example.com', 'file:1').out;
    const b = redactText(s, 'mail jane.roe@example.com as kimchulsoo', 'file:2').out;
    expect(a).toBe('<user> <email-1>');
    expect(b).toBe('mail <email-1> as <user>');
    const report = s.report();
    expect(RedactionReport.safeParse(report).success).toBe(true);
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/kimchulsoo|jane\.roe|example\.com/i);
    expect(report.files.map((f) => [f.name, f.total])).toEqual([
      ['a.log', 2],
      ['b.log', 2],
    ]);
  });

  it('fixed-length stand-ins fit the replaced run', () => {
    expect(fitToken('<user>', 6)).toBe('<user>');
    expect(fitToken('<user>', 9)).toBe('<user___>');
    expect(fitToken('<user>', 4)).toBe('<us>');
    expect(fitToken('<user>', 2)).toBe('__');
  });
});

describe('text files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-text-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pass = async (path: string, s = session()) => {
    await textFilePass(path, { engine: s.engine, purpose: 'discover', learnedFrom: 'f' });
    const chunks: Buffer[] = [];
    const c = new HitCounter();
    await textFilePass(path, {
      engine: s.engine,
      purpose: 'redact',
      learnedFrom: 'f',
      counter: c,
      tokenOf: s.tokenOf,
      write: async (b) => void chunks.push(Buffer.from(b)),
    });
    return { out: Buffer.concat(chunks), hits: c.total };
  };

  it('UTF-16LE with BOM stays UTF-16LE with BOM, redacted', async () => {
    const p = join(dir, 'u16.log');
    writeFileSync(
      p,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('path C:\\Users\\김철수\\x\r\nbye 김철수\r\n', 'utf16le'),
      ]),
    );
    const { out } = await pass(p);
    expect(out.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(out.subarray(2).toString('utf16le')).toBe('path C:\\Users\\<user>\\x\r\nbye <user>\r\n');
  });

  it('bytes that are not UTF-8 (a CP949 log) pass through, names in that code page included', async () => {
    const p = join(dir, 'cp949.log');
    const iconv = (await import('iconv-lite')).default;
    writeFileSync(
      p,
      Buffer.concat([Buffer.from('user=ok '), iconv.encode('이름 김철수 끝', 'cp949'), Buffer.from('\n')]),
    );
    const s = session([{ category: 'user', value: '김철수', learnedFrom: 'USERNAME' }]);
    const { out } = await pass(p, s);
    expect(findAnyEncoding(out, '김철수')).toEqual([]);
    expect(out.includes(iconv.encode('김철수', 'cp949'))).toBe(false);
    expect(out.includes(iconv.encode('이름 ', 'cp949'))).toBe(true);
  });

  it('a long file is processed in pieces without losing a value at a piece boundary', async () => {
    const p = join(dir, 'big.log');
    const line = 'INFO nothing to see here, just a long line of log text 0123456789\n';
    const body = line.repeat(Math.ceil((9 * 1024 * 1024) / line.length));
    writeFileSync(p, `${body}mail jane.roe@example.com\n${body}C:\\Users\\kimchulsoo\\x\n`);
    const { out, hits } = await pass(p);
    expect(hits).toBe(2);
    expect(findAnyEncoding(out, 'jane.roe@example.com')).toEqual([]);
    expect(findAnyEncoding(out, 'kimchulsoo')).toEqual([]);
    expect(out.length).toBe(
      readFileSync(p).length -
        'jane.roe@example.com'.length +
        '<email-1>'.length -
        'kimchulsoo'.length +
        '<user>'.length,
    );
  });
});

describe('rule files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the built-in file is valid, versioned and every rule has needles or an anchor', () => {
    const c = compileRuleFile(defaultRuleFile, 'default.json');
    expect(c.name).toBe('default@1');
    expect(c.rules.length).toBeGreaterThan(20);
    for (const r of c.rules) expect(r.needles.length > 0 || r.anchor !== null).toBe(true);
  });

  it('user rule files add rules; broken ones are reported, not skipped silently', () => {
    writeFileSync(
      join(dir, 'guild.json'),
      JSON.stringify({
        format: 'ctd-redaction-rules',
        version: 1,
        name: 'guild',
        rules: [
          {
            id: 'guild-tag',
            description: 'Our guild tag',
            category: 'word',
            needles: ['guild#'],
            pattern: 'guild#(?<v>[0-9]{4})',
          },
        ],
      }),
    );
    writeFileSync(
      join(dir, 'broken.json'),
      '{"format":"ctd-redaction-rules","version":1,"name":"x","rules":[{"id":"x"}]}',
    );
    const { set, errors } = loadRules(dir);
    expect(set.names).toContain('guild@1');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/broken\.json/);
    const s = new (
      session().constructor as typeof import('../../../src/main/privacy/session').RedactionSession
    )({ rules: set });
    expect(redactText(s, 'member of guild#1234').out).toBe('member of guild#<redacted-1>');
  });

  it('rejects a rule without a value group or with a bad regex', () => {
    const base = { format: 'ctd-redaction-rules', version: 1, name: 'x' };
    const rule = { id: 'r1', description: 'd', category: 'word', needles: ['a'] };
    expect(() => compileRuleFile({ ...base, rules: [{ ...rule, pattern: 'abc' }] }, 'x')).toThrow(
      RuleFileError,
    );
    expect(() => compileRuleFile({ ...base, rules: [{ ...rule, pattern: '(?<v>[' }] }, 'x')).toThrow(/r1/);
  });
});
