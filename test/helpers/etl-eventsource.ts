import { EtlWriter } from './etl-writer';

/**
 * SYNTHETIC: no real fixture carries an EventSource manifest, so this trace is written here.
 * The manifest XML follows the shape .NET's EventSource generates (provider, tasks, maps,
 * events with templates, a Binary with a length field).
 */
const GUID = '5c0b1c55-8c41-5f6c-1d44-3f2f2f0c9a11';
const XML = `<instrumentationManifest xmlns="http://schemas.microsoft.com/win/2004/08/events">
 <instrumentation><events><provider name="SkyrimMod-Loader" guid="{${GUID}}" resourceFileName="x" messageFileName="x" symbol="SkyrimModLoader">
  <tasks><task name="PluginLoad" value="1"/></tasks>
  <maps><valueMap name="Result"><map value="0" message="$(string.ok)"/><map value="1" message="$(string.failed)"/></valueMap></maps>
  <events>
   <event value="1" version="0" level="win:Informational" symbol="PluginLoadStart" task="PluginLoad" opcode="win:Start" template="PluginLoadStartArgs"/>
   <event value="2" version="0" level="win:Informational" symbol="PluginLoadStop" task="PluginLoad" opcode="win:Stop" template="PluginLoadStopArgs"/>
   <event value="3" version="0" level="win:Warning" symbol="Dropped"/>
  </events>
  <templates>
   <template tid="PluginLoadStartArgs"><data name="plugin" inType="win:UnicodeString"/><data name="index" inType="win:Int32"/></template>
   <template tid="PluginLoadStopArgs"><data name="result" inType="win:Int32" map="Result"/><data name="hashSize" inType="win:Int32"/><data name="hash" inType="win:Binary" length="hashSize"/><data name="elapsed" inType="win:Double"/></template>
  </templates>
 </provider></events></instrumentation>
 <localization><resources culture="en-US"><stringTable><string id="ok" value="OK"/><string id="failed" value="Failed &amp; skipped"/></stringTable></resources></localization>
</instrumentationManifest>`;

function chunk(xml: Buffer, index: number, total: number): Buffer {
  const env = Buffer.from([1, 1, 0, 0x5b, total & 0xff, total >> 8, index & 0xff, index >> 8]);
  return Buffer.concat([env, xml]);
}

/** A SYNTHETIC EventSource trace: manifest in two chunks, then events that use it. */
export function writeEventSourceTrace(): Buffer {
  const w = new EtlWriter({ cpus: 1 });
  const xml = Buffer.from(XML, 'utf8');
  const half = Math.floor(xml.length / 2);
  const ev = (id: number, ms: number, opcode = 0) => ({
    provider: GUID,
    id,
    opcode,
    pid: 1000,
    tid: 1004,
    ts: w.ts(ms),
  });
  // The manifest comes first (EventSource sends it when a session enables it), in two chunks.
  w.event(0, ev(0xfffe, 1, 0xfe), chunk(xml.subarray(0, half), 0, 2));
  w.event(0, ev(0xfffe, 1.5, 0xfe), chunk(xml.subarray(half), 1, 2));
  const name = Buffer.from('SkyUI.esp\0', 'utf16le');
  const idx = Buffer.alloc(4);
  idx.writeInt32LE(7);
  w.event(0, ev(1, 2, 1), Buffer.concat([name, idx]));
  const stop = Buffer.alloc(4 + 4 + 3 + 8);
  stop.writeInt32LE(1, 0);
  stop.writeInt32LE(3, 4);
  Buffer.from([0xde, 0xad, 0x01]).copy(stop, 8);
  stop.writeDoubleLE(12.5, 11);
  w.event(0, ev(2, 3, 2), stop);
  w.event(0, ev(3, 4), Buffer.alloc(0));
  w.event(0, ev(9, 5), Buffer.from('??'));
  return w.finish(6);
}
