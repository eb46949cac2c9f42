import { describe, expect, it } from 'vitest';
import { EtlSession } from '../../../src/main/analysis/etw/session';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { parseManifest } from '../../../src/main/formats/etl/manifest';
import { writeEventSourceTrace } from '../../helpers/etl-eventsource';

/** SYNTHETIC: no real fixture carries an EventSource manifest (see test/helpers/etl-eventsource.ts). */
describe('EventSource manifests carried in the trace', () => {
  const s = EtlSession.fromSource(new BufferSource(writeEventSourceTrace(), 'eventsource.etl'));

  it('names the provider and events from the reassembled manifest', () => {
    expect(s.summary.types.map((t) => `${t.provider}/${t.event}`).sort()).toEqual(
      [
        'SkyrimMod-Loader/Dropped',
        'SkyrimMod-Loader/EventID(9)',
        'SkyrimMod-Loader/ManifestData',
        'SkyrimMod-Loader/PluginLoad/Start',
        'SkyrimMod-Loader/PluginLoad/Stop',
        'Windows Kernel/EventTrace',
      ].sort(),
    );
  });

  it('decodes payloads with the manifest templates, maps and binary lengths', () => {
    const rows = s.page({ typeIds: null, pid: 1000 }, 0, 10).rows;
    const by = (e: string) => s.event(rows.find((r) => r.event === e)!.position)!;
    const start = by('PluginLoad/Start');
    expect(start.decodedBy).toBe('manifest');
    expect(start.fields.map((f) => [f.name, f.value])).toEqual([
      ['plugin', 'SkyUI.esp'],
      ['index', 7],
    ]);
    expect(by('PluginLoad/Stop').fields.map((f) => [f.name, f.value])).toEqual([
      ['result', 'Failed & skipped'],
      ['hashSize', 3],
      ['hash', 'dead01'],
      ['elapsed', 12.5],
    ]);
    expect(by('EventID(9)').decodedBy).toBe('raw');
    expect(by('ManifestData').notes[0]).toContain('manifest');
  });

  it('rejects manifests it cannot describe instead of guessing', () => {
    expect(parseManifest('<provider guid="{x}"/>')).toBeNull();
    expect(
      parseManifest(
        '<provider name="p" guid="{x}"><templates><template tid="t"><data name="a" inType="win:Weird"/></template></templates></provider>',
      ),
    ).toBeNull();
  });
});
