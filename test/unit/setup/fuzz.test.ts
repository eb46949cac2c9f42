import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { parseMetaIni } from '../../../src/main/formats/mo2/meta-ini';
import { parseModOrganizerIni } from '../../../src/main/formats/mo2/modorganizer-ini';
import {
  parseLoadorderTxt,
  parseModlist,
  parsePluginsTxt,
} from '../../../src/main/formats/mo2/profile-lists';
import { readPluginHeader } from '../../../src/main/formats/plugin/tes4';
import { parseVortexManifest } from '../../../src/main/formats/vortex/deployment';
import { mulberry32 } from '../../helpers/prng';
import { tes4Plugin } from '../../helpers/tes4-writer';

/**
 * Corrupted synthetic inputs (no real plugins or mod-manager files are in the fixtures):
 * byte flips, truncation, inflated length fields and spliced garbage. Nothing but ParseError
 * may escape the plugin header reader, the text parsers never throw, and every result keeps
 * its shape. Seeded, so a failing case can be replayed.
 */
function mutate(buf: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(buf);
  const kind = Math.floor(rnd() * 6);
  if (kind === 0) return b.subarray(0, Math.floor(rnd() * b.length));
  if (kind === 1) {
    for (let i = 0; i < 1 + rnd() * 8; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    return b;
  }
  if (kind === 2 && b.length > 8) {
    // An inflated size field: record data size or a subrecord's u16.
    const at = rnd() < 0.5 ? 4 : 24 + 4 + Math.floor(rnd() * Math.max(1, b.length - 30));
    if (at + 4 <= b.length) b.writeUInt32LE(Math.floor(rnd() * 0xffffffff), at);
    return b;
  }
  if (kind === 3) {
    const junk = Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    const at = Math.floor(rnd() * b.length);
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  }
  if (kind === 4) return Buffer.concat([b, b.subarray(0, Math.floor(rnd() * b.length))]);
  return b.subarray(Math.floor(rnd() * 8));
}

describe('fuzzing the setup parsers with corrupted synthetic inputs', () => {
  it('2,000 corrupted plugins: only ParseError escapes, results are well-formed', () => {
    const rnd = mulberry32(17);
    const seeds = [
      tes4Plugin({
        masters: ['Skyrim.esm', 'Update.esm', 'A.esp'],
        author: 'x',
        description: 'd',
        body: true,
      }),
      tes4Plugin({ light: true, masters: Array.from({ length: 40 }, (_, i) => `M${i}.esm`) }),
      tes4Plugin({ oblivion: true, masters: ['Oblivion.esm'] }),
      tes4Plugin({ version: 1.0, formVersion: 131, master: true }),
    ];
    const crashes: string[] = [];
    let parseErrors = 0;
    for (let i = 0; i < 2000; i++) {
      const input = mutate(seeds[i % seeds.length]!, rnd);
      try {
        const h = readPluginHeader(new BufferSource(input, `case-${i}.esp`));
        if (!Array.isArray(h.masters) || h.masters.some((m) => typeof m !== 'string' || m.length > 4096))
          crashes.push(`case ${i}: bad masters`);
        if (h.masters.length > 4096) crashes.push(`case ${i}: too many masters`);
      } catch (e) {
        if (e instanceof ParseError) parseErrors++;
        else crashes.push(`case ${i}: ${(e as Error).stack ?? String(e)}`);
      }
    }
    expect(crashes).toEqual([]);
    expect(parseErrors).toBeLessThan(2000);
  });

  it('2,000 corrupted text files through every MO2 and Vortex text parser: no exceptions', () => {
    const rnd = mulberry32(99);
    const seeds = [
      '[General]\r\ngameName=Skyrim Special Edition\r\ngamePath=@ByteArray(C:\\\\Games\\\\Skyrim)\r\nselected_profile=@ByteArray(Default)\r\n[Settings]\r\nmod_directory=%BASE_DIR%/mods\r\n',
      '# generated\r\n+Mod A\r\n-Mod B\r\n*DLC: Dawnguard\r\n+Sep_separator\r\n',
      '*Skyrim.esm\r\nA.esp\r\n*B.esl\r\n',
      '[General]\r\nmodid=123\r\nversion=f1.05\r\nnewestVersion="1.1, beta"\r\n[installedFiles]\r\n1\\modid=123\r\n',
      JSON.stringify({
        instance: 'x',
        gameId: 'skyrimse',
        files: [{ relPath: 'a.esp', source: 'm-1-1-1600000000', time: 1 }],
      }),
    ];
    const crashes: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const text = mutate(Buffer.from(seeds[i % seeds.length]!, 'utf8'), rnd).toString(
        rnd() < 0.5 ? 'utf8' : 'latin1',
      );
      try {
        parseModOrganizerIni(text);
        parseMetaIni(text);
        parseModlist(text);
        parsePluginsTxt(text);
        parseLoadorderTxt(text);
        const v = parseVortexManifest(text);
        if (!Array.isArray(v.files)) crashes.push(`case ${i}: manifest files not a list`);
      } catch (e) {
        crashes.push(`case ${i}: ${(e as Error).stack ?? String(e)}`);
      }
    }
    expect(crashes).toEqual([]);
  });
});
