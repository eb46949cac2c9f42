import type { ByteSource } from '../common/byte-source';
import { ParseError } from '../common/parse-error';

/**
 * The header record of a Bethesda plugin (.esp/.esm/.esl) for Skyrim SE/AE and Fallout 4 (and
 * the older 20-byte record header of Oblivion). Only the first record is read: the TES4 record
 * names the plugin's masters, its flags and its author, which is all load-order checks and the
 * bisect need; a multi-GB plugin costs a few hundred bytes.
 *
 * Layout (little-endian):
 *   record header: type "TES4", u32 data size, u32 flags, u32 form id, u32 version-control
 *                  info, then (not in Oblivion) u16 form version, u16 unknown — 24 bytes;
 *   subrecords:    4-byte type, u16 size, data. An `XXXX` subrecord (u32 payload) gives the
 *                  real size of the next subrecord when it exceeds 65,535 bytes.
 *   HEDR: f32 version (1.70/1.71 for Skyrim SE/AE, 0.95/1.0 for Fallout 4), i32 record count,
 *         u32 next object id. CNAM: author, SNAM: description (NUL-terminated strings).
 *         MAST: a master's file name, each followed by a DATA subrecord (u64, unused).
 * Flags: 0x1 master (ESM), 0x80 localized strings, 0x200 light (ESL).
 */

export const TES4_FLAG_MASTER = 0x1;
export const TES4_FLAG_LOCALIZED = 0x80;
export const TES4_FLAG_LIGHT = 0x200;
const FLAG_COMPRESSED = 0x40000;

/** A TES4 record bigger than this is damaged (real ones with huge ONAM lists stay well below). */
const MAX_HEADER_DATA = 16 * 1024 * 1024;
/** More masters than this cannot load in any game (254 full slots plus light ones share FE). */
const MAX_MASTERS = 4096;
const MAX_STRING = 4096;

export interface PluginHeaderProblem {
  code: string;
  message: string;
  offset: number;
}

export interface PluginHeader {
  file: string;
  /** 24-byte record header (Skyrim, Fallout 4) or Oblivion's 20-byte one. */
  layout: 'tes4' | 'tes4-oblivion';
  flags: number;
  /** ESM flag set (an .esm file is a master whatever its flag says). */
  master: boolean;
  /** ESL flag set, or the file is an .esl. */
  light: boolean;
  localized: boolean;
  formVersion: number | null;
  hedr: { version: number; records: number; nextObjectId: number } | null;
  author: string | null;
  description: string | null;
  /** Master file names in the order the header lists them. */
  masters: string[];
  /** Damage found after the record header; what came before it is still returned. */
  problems: PluginHeaderProblem[];
}

function decodeString(buf: Buffer): string {
  const end = buf.indexOf(0);
  const bytes = buf.subarray(0, end < 0 ? buf.length : end).subarray(0, MAX_STRING);
  const utf8 = bytes.toString('utf8');
  // Most plugin strings are Windows-1252; latin1 is close enough for names and authors.
  return utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8;
}

function extension(name: string): string {
  const m = /\.([^.\\/]+)$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * Reads the TES4 header of `src`. Throws ParseError when the file is not a plugin at all
 * (too short, wrong record type); damage inside the header becomes `problems`.
 */
export function readPluginHeader(src: ByteSource, name = src.name): PluginHeader {
  if (src.size < 20)
    throw new ParseError(`${src.size} bytes is too short for a plugin header`, {
      file: src.name,
      field: 'TES4',
      offset: 0,
      code: 'truncated',
    });
  const head = src.read(0, 20, 'TES4.recordHeader');
  const type = head.toString('latin1', 0, 4);
  if (type !== 'TES4')
    throw new ParseError(`not a Skyrim/Fallout plugin: the first record is "${printable(type)}", not TES4`, {
      file: src.name,
      field: 'TES4.type',
      offset: 0,
      code: 'bad_magic',
    });
  const dataSize = head.readUInt32LE(4);
  const flags = head.readUInt32LE(8);
  // Oblivion's record header stops at 20 bytes: its first subrecord starts there.
  const oblivion = src.size >= 24 && src.read(20, 4, 'TES4.firstSubrecord').toString('latin1') === 'HEDR';
  const headerSize = oblivion ? 20 : 24;
  const ext = extension(name);
  const out: PluginHeader = {
    file: name,
    layout: oblivion ? 'tes4-oblivion' : 'tes4',
    flags,
    master: (flags & TES4_FLAG_MASTER) !== 0 || ext === 'esm' || ext === 'esl',
    light: (flags & TES4_FLAG_LIGHT) !== 0 || ext === 'esl',
    localized: (flags & TES4_FLAG_LOCALIZED) !== 0,
    formVersion: null,
    hedr: null,
    author: null,
    description: null,
    masters: [],
    problems: [],
  };
  const problem = (code: string, message: string, offset: number) =>
    out.problems.push({ code, message, offset });
  if (!oblivion) {
    if (src.size < 24) {
      problem('truncated', 'the record header is cut short', 20);
      return out;
    }
    out.formVersion = src.read(20, 2, 'TES4.formVersion').readUInt16LE(0);
  }
  if (flags & FLAG_COMPRESSED) problem('compressed_header', 'the header record claims to be compressed', 8);
  let size = dataSize;
  if (size > MAX_HEADER_DATA) {
    problem('too_large', `header data size ${size} is implausible`, 4);
    size = MAX_HEADER_DATA;
  }
  const available = src.size - headerSize;
  if (size > available) {
    problem('truncated', `header says ${dataSize} bytes of data, the file has ${available}`, 4);
    size = Math.max(0, available);
  }
  const data = src.read(headerSize, size, 'TES4.data');
  readSubrecords(data, headerSize, out, problem);
  return out;
}

function readSubrecords(
  data: Buffer,
  base: number,
  out: PluginHeader,
  problem: (code: string, message: string, offset: number) => void,
): void {
  let pos = 0;
  let bigSize: number | null = null;
  let expectData = false;
  while (pos < data.length) {
    if (data.length - pos < 6) {
      problem('truncated', 'a subrecord header is cut short', base + pos);
      return;
    }
    const type = data.toString('latin1', pos, pos + 4);
    let len = data.readUInt16LE(pos + 4);
    const at = pos + 6;
    if (bigSize !== null) {
      len = bigSize;
      bigSize = null;
    }
    if (!/^[A-Z0-9_]{4}$/.test(type)) {
      problem(
        'bad_subrecord',
        `"${printable(type)}" is not a subrecord type; the rest is skipped`,
        base + pos,
      );
      return;
    }
    if (len > data.length - at) {
      problem('truncated', `${type} claims ${len} bytes, ${data.length - at} are left`, base + pos);
      return;
    }
    const body = data.subarray(at, at + len);
    pos = at + len;
    if (expectData && type !== 'DATA')
      problem('master_without_data', `master ${out.masters.at(-1)} has no DATA subrecord`, base + at - 6);
    expectData = false;
    switch (type) {
      case 'XXXX':
        if (len >= 4) bigSize = body.readUInt32LE(0);
        else problem('bad_subrecord', 'XXXX subrecord shorter than 4 bytes', base + at);
        break;
      case 'HEDR':
        if (len >= 12) {
          const version = Math.round(body.readFloatLE(0) * 1000) / 1000;
          out.hedr = { version, records: body.readInt32LE(4), nextObjectId: body.readUInt32LE(8) };
        } else problem('bad_hedr', `HEDR is ${len} bytes, expected 12`, base + at);
        break;
      case 'CNAM':
        out.author = decodeString(body) || null;
        break;
      case 'SNAM':
        out.description = decodeString(body) || null;
        break;
      case 'MAST': {
        const m = decodeString(body).trim();
        if (!m) problem('bad_master', 'an empty master name', base + at);
        else if (out.masters.length >= MAX_MASTERS) {
          problem('too_many_masters', `more than ${MAX_MASTERS} masters`, base + at);
          return;
        } else out.masters.push(m);
        expectData = true;
        break;
      }
      default:
        break;
    }
  }
  if (expectData)
    problem('master_without_data', `master ${out.masters.at(-1)} has no DATA subrecord`, base + pos);
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
