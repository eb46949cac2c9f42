import { useState } from 'react';
import type { DumpAnalysis, MemoryWindow } from '../../../../../shared/domain/minidump';
import { hexRows } from '../../../../../shared/domain/minidump-format';
import { invoke } from '../../../api/client';

const ADDRESS = /^0x[0-9a-f]{1,16}$/i;

/** Memory of the dump: pick a captured region or type an address, see 512 bytes of it. */
export function HexView({ artifactId, regions }: { artifactId: number; regions: DumpAnalysis['memory'] }) {
  const [address, setAddress] = useState(regions[0]?.start ?? '');
  const [win, setWin] = useState<MemoryWindow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (addr: string): void => {
    setAddress(addr);
    invoke('crash:memory', { artifactId, address: addr, length: 512 })
      .then((w) => {
        setWin(w);
        setError(w.bytes ? null : 'Not captured in this dump.');
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div className="crash-hex">
      <div className="crash-hex-bar">
        <select value={address} onChange={(e) => load(e.target.value)} aria-label="Memory region">
          {regions.slice(0, 2000).map((r) => (
            <option key={r.start} value={r.start}>
              {r.start} ({r.size} bytes)
            </option>
          ))}
        </select>
        <input
          className="crash-mono"
          value={address}
          aria-label="Address"
          onChange={(e) => setAddress(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && ADDRESS.test(address)) load(address);
          }}
        />
        <button type="button" onClick={() => load(address)} disabled={!ADDRESS.test(address)}>
          Show
        </button>
      </div>
      {error && <p className="crash-muted">{error}</p>}
      {win?.bytes && (
        <pre className="crash-mono crash-hex-dump">{hexRows(win.address, win.bytes).join('\n')}</pre>
      )}
    </div>
  );
}

/** The memory section: the hex view, or why there is none. */
export function MemorySection({ artifactId, a }: { artifactId: number; a: DumpAnalysis }) {
  return (
    <section>
      <h2>Memory ({a.memory.length} regions)</h2>
      {a.memory.length > 0 ? (
        <HexView artifactId={artifactId} regions={a.memory} />
      ) : (
        <p className="crash-muted">Only thread stacks were captured; pick a thread stack address.</p>
      )}
    </section>
  );
}
