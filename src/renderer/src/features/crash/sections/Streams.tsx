import { useState } from 'react';
import type { DumpAnalysis } from '../../../../../shared/domain/minidump';
import { hexRows } from '../../../../../shared/domain/minidump-format';
import { invoke } from '../../../api/client';

/** The dump's stream directory; "Bytes" shows the first 4 KiB of one stream. */
export function StreamsSection({ artifactId, a }: { artifactId: number; a: DumpAnalysis }) {
  const [stream, setStream] = useState<{ name: string; bytes: string } | null>(null);
  const showStream = (index: number): void => {
    invoke('crash:stream', { artifactId, index, length: 4096 })
      .then((r) => setStream({ name: r.name, bytes: r.bytes }))
      .catch(() => setStream({ name: String(index), bytes: '' }));
  };
  return (
    <section>
      <h2>Streams</h2>
      <table className="crash-table">
        <tbody>
          {a.streams.map((s, i) => (
            <tr key={i}>
              <td>{s.name}</td>
              <td className="crash-mono">0x{s.type.toString(16)}</td>
              <td className="crash-mono">@0x{s.offset.toString(16)}</td>
              <td>{s.size} bytes</td>
              <td>
                <button type="button" disabled={s.size === 0} onClick={() => showStream(i)}>
                  Bytes
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {stream && (
        <pre className="crash-mono crash-hex-dump" aria-label={`Stream ${stream.name}`}>
          {stream.bytes ? hexRows('0x0', stream.bytes).join('\n') : 'No bytes (out of the file).'}
        </pre>
      )}
    </section>
  );
}
