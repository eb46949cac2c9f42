import { useState } from 'react';
import type { DumpAnalysis, DumpFrame } from '../../../../../shared/domain/minidump';
import { invoke } from '../../../api/client';
import { Stack } from '../Stack';

/** Every thread of the dump; "Stack" unwinds one on demand. */
export function ThreadsSection({ artifactId, a }: { artifactId: number; a: DumpAnalysis }) {
  const [thread, setThread] = useState<{ index: number; frames: DumpFrame[] | null } | null>(null);
  const showThread = (index: number): void => {
    setThread({ index, frames: null });
    invoke('crash:stack', { artifactId, threadIndex: index })
      .then((r) => setThread({ index, frames: r.frames }))
      .catch(() => setThread({ index, frames: [] }));
  };
  return (
    <section>
      <h2>Threads ({a.threads.length})</h2>
      <table className="crash-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Id</th>
            <th>Name</th>
            <th>IP</th>
            <th>
              <span className="sr-only">Stack</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {a.threads.map((t) => (
            <tr key={t.index} className={t.crashed ? 'crash-crashed' : undefined}>
              <td>{t.index}</td>
              <td>{t.id}</td>
              <td>{t.name ?? ''}</td>
              <td className="crash-mono">{t.ip ?? ''}</td>
              <td>
                <button type="button" onClick={() => showThread(t.index)}>
                  Stack
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {thread && (
        <div>
          <h3>Thread #{thread.index}</h3>
          {thread.frames ? <Stack frames={thread.frames} /> : <p className="crash-muted">Unwinding…</p>}
        </div>
      )}
    </section>
  );
}
