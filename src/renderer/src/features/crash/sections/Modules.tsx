import type { DumpAnalysis } from '../../../../../shared/domain/minidump';

export function ModulesSection({ a }: { a: DumpAnalysis }) {
  return (
    <section>
      <h2>Modules ({a.modules.length})</h2>
      <table className="crash-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Base</th>
            <th>Size</th>
            <th>Version</th>
            <th>PDB</th>
            <th>Debug id</th>
            <th>Kind</th>
          </tr>
        </thead>
        <tbody>
          {a.modules.map((m) => (
            <tr key={`${m.base}-${m.name}`} title={m.path}>
              <td>{m.name}</td>
              <td className="crash-mono">{m.base}</td>
              <td>{m.size}</td>
              <td>{m.version ?? ''}</td>
              <td>{m.pdbName ?? ''}</td>
              <td className="crash-mono">{m.debugId ?? ''}</td>
              <td>{m.role}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {a.unloadedModules.length > 0 && (
        <>
          <h3>Unloaded modules</h3>
          <ul>
            {a.unloadedModules.map((m) => (
              <li key={`${m.base}-${m.name}`} className="crash-mono">
                {m.name} {m.base} ({m.size} bytes)
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
