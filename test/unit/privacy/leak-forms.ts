import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import type { Artifact, IncidentDetail } from '../../../src/shared/domain/incident';
import { fileIncident } from '../../helpers/file-incident';
import { real } from '../../helpers/fixtures';

/**
 * The leak measurement: ONE MADE-UP PERSON (nobody real: every value below is synthetic) planted
 * in every form a crash folder may hold them, one incident per form, in every text encoding and
 * inside minidump memory. The test exports each incident with the public preset and looks for
 * every spelling of every value in every byte of the zip.
 */
export const ID = {
  /** The Windows account (USERNAME), known from the environment on the user's machine. */
  user: 'thandrelv',
  /** A second profile folder whose name the machine does not know (another account, a copied path). */
  otherProfile: 'kestrelwing',
  machine: 'GLIMMERWARD7',
  /** The account's display name (GetUserNameEx NameDisplay / `net user`). */
  fullName: 'Thandrel Vöss',
  email: 'thandrel.voss@example.net',
  ipv4Public: '203.0.113.57',
  ipv4Peer: '198.51.100.23',
  ipv4Lan: '192.168.77.41',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
  ipv6Full: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
  ipv6Link: 'fe80::1c2b:3d4e:5f60:7a8b',
  mac: '3c:7d:0a:9e:41:b2',
  webhookId: '112233445566778899',
  webhookToken: 'Wq7-Xk2_pL9mN4vB8cR1tY6uI3oA5sD0fG7hJ2kL9zX4cV8bN1mQ3wE6rT0yU5iO7pZa',
  nexusKey:
    'VGhhbmRyZWxWb3NzTGVha1Rlc3RLZXk=--c2FsdHlzYWx0MTIzNA==--9f2c4b7e1a3d5c6b8e0f2a4c6e8b0d1f3a5c7e9b',
  steam64: '76561198011223344',
  steamAccount: '50957616',
  steamLegacy: '25478808',
  bearer: 'bT7xQ2mZ9kW4pL8vN3rY6hD',
  apiToken: 'tok_9Qm4Lx7Vb2Ne8Rt5Zc',
  password: 'Gl1mmer!Pass77',
  urlPassword: 'Gl1mmerPw77x',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0aGFuZHJlbHYiLCJuIjoyfQ.bGVhay10ZXN0LXNpZ25hdHVyZS05ODc2',
  github: 'ghp_Vx9Lm2Qr7Tz4Wn8Kp3Hs6Dj1Fb5Gc0Ya2Eu7',
  sid: 'S-1-5-21-1234567890-2345678901-3456789012-1001',
  epic: '9e3b1c5d7f2a4e6c8b0d2f4a6c8e0b1d',
  gog: '48151623421234567',
  org: 'Vossworks Ltd',
  phone: '+44 20 7946 0958',
  card: '4539 1488 0343 6467',
} as const;

/**
 * Each value and the other ways the same value is written. The scan looks for every one of
 * these in every case, raw and URL-encoded and JSON-escaped, as UTF-8, UTF-16LE/BE and
 * Windows-1252. Only the bare full name is allowed to stay when no tool can know it.
 */
export const SECRETS: Record<string, string[]> = {
  user: [ID.user, 'THANDR~1'],
  otherProfile: [ID.otherProfile],
  machine: [ID.machine],
  fullName: [ID.fullName, 'Thandrel Voss', 'Thandrel.Voss', 'ThandrelVoss', 'Thandrel_Voss', 'Vöss', 'Voss'],
  firstName: ['Thandrel'],
  email: [ID.email],
  ipv4: [ID.ipv4Public, ID.ipv4Peer, ID.ipv4Lan],
  ipv6: ['8a2e:370:7334', '8a2e:0370:7334', '1c2b:3d4e:5f60:7a8b'],
  mac: [ID.mac, '3c-7d-0a-9e-41-b2', '3c7d.0a9e.41b2', '3c7d0a9e41b2'],
  webhook: [ID.webhookId, ID.webhookToken],
  nexus: [ID.nexusKey, '9f2c4b7e1a3d5c6b8e0f2a4c6e8b0d1f3a5c7e9b', 'VGhhbmRyZWxWb3NzTGVha1Rlc3RLZXk'],
  steam: [ID.steam64, ID.steamAccount, ID.steamLegacy],
  token: [ID.bearer, ID.apiToken, ID.jwt, ID.github],
  password: [ID.password, ID.urlPassword],
  sid: ['1234567890-2345678901-3456789012'],
  epic: [ID.epic],
  gog: [ID.gog],
  org: ['Vossworks'],
  phone: ['7946 0958', '2079460958'],
  card: [ID.card, '4539148803436467'],
};

const u = ID.user;
const o = ID.otherProfile;
const enc = (s: string) => encodeURIComponent(s);
const hook = (host: string, api = 'api') =>
  `https://${host}/${api}/webhooks/${ID.webhookId}/${ID.webhookToken}`;

/** The forms: one line each, as a log, a JSON file or a tool's output would hold them. */
export const FORMS: { id: string; line: string; textOnly?: boolean }[] = [
  // The account name, known from the environment.
  { id: 'env USERNAME=', line: `USERNAME=${u}` },
  { id: 'bare user name', line: `logged in as ${u} since boot` },
  { id: 'bare user name, upper case', line: `OWNER ${u.toUpperCase()} SESSION 1` },
  { id: 'whoami (machine\\user)', line: `whoami: ${ID.machine.toLowerCase()}\\${u}` },
  {
    id: 'profile path, Windows',
    line: `C:\\Users\\${u}\\Documents\\My Games\\Skyrim Special Edition\\SKSE\\skse64.log`,
  },
  {
    id: 'profile path, forward slashes',
    line: `C:/Users/${u}/AppData/Local/Skyrim Special Edition/plugins.txt`,
  },
  {
    id: 'profile path, JSON-escaped',
    line: `{"path": "C:\\\\Users\\\\${u}\\\\AppData\\\\Local\\\\Temp\\\\x.tmp"}`,
  },
  {
    id: 'profile path, double-escaped JSON',
    line: `{"cmd": "{\\"p\\":\\"C:\\\\\\\\Users\\\\\\\\${u}\\\\\\\\Desktop\\\\\\\\mods\\"}"}`,
  },
  { id: 'profile path, URL-encoded', line: `open?file=${enc(`C:\\Users\\${u}\\Desktop\\load order.txt`)}` },
  { id: 'profile path, file:// URL', line: `file:///C:/Users/${u}/Desktop/load%20order.txt` },
  {
    id: 'profile path, \\\\?\\ prefix',
    line: `\\\\?\\C:\\Users\\${u}\\AppData\\Roaming\\Vortex\\state.json`,
  },
  {
    id: 'profile path, NT device',
    line: `\\Device\\HarddiskVolume3\\Users\\${u}\\AppData\\Local\\Temp\\a.dll`,
  },
  { id: 'profile path, 8.3 short name', line: `C:\\Users\\THANDR~1\\AppData\\Local\\Temp\\~DF12.tmp` },
  { id: 'home path (Proton)', line: `Z:\\home\\${u}\\.steam\\steam\\steamapps\\common\\Skyrim` },
  { id: 'home path (Linux)', line: `/home/${u}/.local/share/Steam/steamapps/compatdata/489830` },
  // A profile name nobody told the tool.
  { id: 'unknown profile, Windows path', line: `C:\\Users\\${o}\\Saved Games\\skyrim.ess` },
  { id: 'unknown profile, URL-encoded', line: `open?file=${enc(`C:\\Users\\${o}\\Documents\\notes.txt`)}` },
  {
    id: 'unknown profile, URL-encoded slashes',
    line: `url=file%3A%2F%2F%2FC%3A%2FUsers%2F${o}%2FDocuments%2Fnotes.txt`,
  },
  {
    id: 'unknown profile, double-escaped JSON',
    line: `{"cmd": "{\\"p\\":\\"C:\\\\\\\\Users\\\\\\\\${o}\\\\\\\\Documents\\"}"}`,
  },
  { id: 'unknown profile, JSON-escaped', line: `{"dir": "C:\\\\Users\\\\${o}\\\\Documents"}` },
  { id: 'unknown home, URL-encoded', line: `path=%2Fhome%2F${o}%2F.config%2Fmo2` },
  // The machine.
  { id: 'env COMPUTERNAME=', line: `COMPUTERNAME=${ID.machine}` },
  { id: 'bare machine name', line: `Host ${ID.machine} ready` },
  { id: 'UNC host', line: `\\\\${ID.machine}\\share\\mods\\SkyUI.7z` },
  { id: 'JSON computer_name', line: `{"computer_name": "${ID.machine}"}` },
  // The full name.
  { id: 'JSON display_name', line: `{"display_name": "${ID.fullName}"}` },
  { id: 'JSON name', line: `{"id": 7, "name": "${ID.fullName}"}` },
  { id: 'JSON full_name', line: `{"full_name": "${ID.fullName}"}` },
  { id: 'JSON realname', line: `{"realname": "${ID.fullName}"}` },
  { id: 'JSON owner', line: `{"owner": "${ID.fullName}"}` },
  { id: 'registry RegisteredOwner', line: `    RegisteredOwner    REG_SZ    ${ID.fullName}` },
  { id: 'net user Full Name', line: `Full Name                    ${ID.fullName}` },
  { id: 'bare full name', line: `Save made by ${ID.fullName} on day 12` },
  { id: 'bare full name, ASCII', line: `signed: Thandrel Voss` },
  { id: 'full name as profile folder', line: `C:\\Users\\${ID.fullName}\\Documents\\My Games` },
  // Contact and network.
  { id: 'e-mail', line: `contact ${ID.email} for the save` },
  { id: 'e-mail, URL-encoded', line: `mailto=${enc(ID.email)}&x=1` },
  { id: 'IPv4 with port', line: `connected to ${ID.ipv4Public}:27015` },
  { id: 'IPv4 bare', line: `peer ${ID.ipv4Peer} accepted` },
  { id: 'IPv4 JSON', line: `{"ip": "${ID.ipv4Lan}"}` },
  { id: 'IPv6 bracketed', line: `listening on [${ID.ipv6}]:443` },
  { id: 'IPv6 full form', line: `addr ${ID.ipv6Full}` },
  { id: 'IPv6 link-local with zone', line: `gateway ${ID.ipv6Link}%12` },
  { id: 'MAC with colons', line: `adapter 0: ${ID.mac}` },
  { id: 'MAC with dashes (ipconfig)', line: `   Physical Address. . . . . . . . . : 3C-7D-0A-9E-41-B2` },
  // Network gear's spelling: Windows never writes it, and looking for it in memory means a
  // region at every file extension ("x.dds"); text files only.
  { id: 'MAC Cisco dotted', line: `hw 3c7d.0a9e.41b2`, textOnly: true },
  { id: 'MAC JSON bare hex', line: `{"mac_address": "3C7D0A9E41B2"}` },
  // Webhooks and keys.
  { id: 'Discord webhook', line: `report to ${hook('discord.com')}` },
  { id: 'Discord webhook (discordapp)', line: `webhook=${hook('discordapp.com')}` },
  { id: 'Discord webhook (ptb, v10)', line: `url: ${hook('ptb.discord.com', 'api/v10')}` },
  { id: 'Discord webhook, URL-encoded', line: `u=${enc(hook('discord.com'))}` },
  { id: 'Nexus key, bare', line: `${ID.nexusKey}` },
  { id: 'Nexus key, apikey header', line: `apikey: ${ID.nexusKey}` },
  { id: 'Nexus key, JSON', line: `{"nexus_api_key": "${ID.nexusKey}"}` },
  { id: 'Nexus key, env', line: `NEXUS_API_KEY=${ID.nexusKey}` },
  { id: 'Nexus key, in text', line: `my key is ${ID.nexusKey} please help` },
  // Accounts.
  { id: 'SteamID64', line: `steam id ${ID.steam64}` },
  { id: 'SteamID3', line: `[U:1:${ID.steamAccount}]` },
  { id: 'Steam legacy id', line: `STEAM_0:0:${ID.steamLegacy}` },
  { id: 'Steam userdata path', line: `C:\\Program Files (x86)\\Steam\\userdata\\${ID.steamAccount}\\config` },
  { id: 'Epic account id', line: `-epicuserid=${ID.epic} -epiclocale=en` },
  { id: 'GOG galaxy id', line: `{"galaxy_user_id": "${ID.gog}"}` },
  { id: 'Windows SID', line: `sid ${ID.sid}` },
  { id: 'OneDrive organisation', line: `C:\\Users\\${u}\\OneDrive - ${ID.org}\\Documents` },
  // Secrets.
  { id: 'Authorization: Bearer', line: `Authorization: Bearer ${ID.bearer}` },
  { id: 'token=', line: `upload: api_token=${ID.apiToken}` },
  { id: 'JSON access_token', line: `{"access_token": "${ID.apiToken}"}` },
  { id: 'password=', line: `password=${ID.password}` },
  { id: 'URL credentials', line: `https://${u}:${ID.urlPassword}@example.net/mods` },
  { id: 'JWT', line: `jwt ${ID.jwt}` },
  { id: 'GitHub token', line: `GH ${ID.github}` },
  // Not looked for in dump memory: their digit patterns are everywhere in a game's heap, and a
  // game process does not hold the player's card or phone number.
  { id: 'phone', line: `phone: ${ID.phone}`, textOnly: true },
  { id: 'card', line: `card ${ID.card}`, textOnly: true },
];

/** Text carriers: how each form's file is encoded. */
export const TEXT_CARRIERS = [
  'utf8',
  'utf8-bom',
  'utf16le-bom',
  'utf16le',
  'utf16be-bom',
  'utf16be',
  'win1252',
] as const;
/** Dump carriers: how the form is written into the dump's stack memory. */
export const DUMP_CARRIERS = ['dump-ansi', 'dump-utf8', 'dump-utf16le'] as const;
export type Carrier = (typeof TEXT_CARRIERS)[number] | (typeof DUMP_CARRIERS)[number];

function encodeText(text: string, c: (typeof TEXT_CARRIERS)[number]): Buffer {
  switch (c) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'win1252':
      return iconv.encode(text, 'win1252');
  }
}

/** A real dump (Breakpad's null_read_av test dump) with the form written into a thread stack. */
function dumpWith(line: string, c: (typeof DUMP_CARRIERS)[number]): Buffer {
  const src = real('minidumps', 'null_read_av.dmp');
  const buf = readFileSync(src);
  const md = withFileSource(src, readMinidump);
  const t = md.threads[0]!;
  const bytes =
    c === 'dump-utf16le'
      ? Buffer.from(`\0${line}\0`, 'utf16le')
      : c === 'dump-utf8'
        ? Buffer.from(`\0${line}\0`, 'utf8')
        : iconv.encode(`\0${line}\0`, 'win1252');
  if (bytes.length > t.stackSize - 512) throw new Error(`form too long for the stack: ${line}`);
  bytes.copy(buf, t.stackRva + 256);
  return buf;
}

/**
 * One folder per form: the form in every text carrier and dump carrier (or only `only`, so no
 * carrier can learn a value from another), as an incident.
 */
export function buildFormIncident(
  dir: string,
  index: number,
  only?: Carrier,
): { incident: IncidentDetail; carriers: Map<string, Carrier> } {
  const form = FORMS[index]!;
  mkdirSync(dir, { recursive: true });
  const files: { path: string; role: Artifact['role'] }[] = [];
  const carriers = new Map<string, Carrier>();
  const add = (name: string, bytes: Buffer, role: Artifact['role'], c: Carrier) => {
    if (only && c !== only) return;
    writeFileSync(join(dir, name), bytes);
    carriers.set(name, c);
    files.push({ path: join(dir, name), role });
  };
  const text = `ctd leak test, form ${index} (synthetic data)\r\n${form.line}\r\nend of form ${index}\r\n`;
  for (const c of TEXT_CARRIERS) add(`form-${index}-${c}.log`, encodeText(text, c), 'log', c);
  for (const c of DUMP_CARRIERS) add(`form-${index}-${c}.dmp`, dumpWith(form.line, c), 'dump', c);
  const incident = fileIncident(`leak-${index}`, dir, files, `leak test form ${index}`);
  return { incident, carriers };
}

/** Every byte spelling of a value: cases × (raw, URL-encoded, JSON-escaped) × encodings. */
export function spellings(value: string): Buffer[] {
  const texts = new Set<string>();
  for (const v of [value, value.toLowerCase(), value.toUpperCase()]) {
    texts.add(v);
    texts.add(encodeURIComponent(v));
    texts.add(encodeURIComponent(v).replace(/%20/g, '+'));
    texts.add(v.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
  const out = new Map<string, Buffer>();
  for (const t of texts) {
    const forms: Buffer[] = [
      Buffer.from(t, 'utf8'),
      Buffer.from(t, 'utf16le'),
      Buffer.from(t, 'utf16le').swap16(),
    ];
    const w = iconv.encode(t, 'win1252');
    if (iconv.decode(w, 'win1252') === t) forms.push(w);
    for (const b of forms) out.set(b.toString('hex'), b);
  }
  return [...out.values()];
}

/** Which secrets (by label) occur, in any spelling, in `bytes`. */
export function leaksIn(
  bytes: Buffer,
  allow: (label: string, value: string) => boolean = () => false,
): string[] {
  const found: string[] = [];
  for (const [label, values] of Object.entries(SECRETS))
    for (const v of values) {
      if (allow(label, v)) continue;
      if (spellings(v).some((s) => bytes.includes(s))) found.push(`${label}:${v}`);
    }
  return found;
}
