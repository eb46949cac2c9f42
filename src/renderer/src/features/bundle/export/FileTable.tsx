import type { BundlePreview, PreviewFile } from '../../../../../shared/contract/bundle';
import { formatBytes } from '../../../lib/format';
import { useBundleStore } from '../bundle-store';
import { TREATMENT_LABEL } from '../treatment';

/** The incident's files: in or out, how each is treated, how many values get replaced. */
export function FileTable({
  preview,
  pub,
  disabled,
  unchecked,
}: {
  preview: BundlePreview | null;
  pub: boolean;
  disabled: boolean;
  unchecked: number[];
}) {
  return (
    <table className="data-table export-files" data-testid="export-files">
      <thead>
        <tr>
          <th>
            <span className="sr-only">Include</span>
          </th>
          <th>File</th>
          <th>Role</th>
          <th className="num">Size</th>
          <th>In the bundle</th>
          {pub && <th className="num">Replaced</th>}
        </tr>
      </thead>
      <tbody>
        {(preview?.files ?? []).map((f) => (
          <FileRow
            key={f.artifactId}
            f={f}
            pub={pub}
            disabled={disabled}
            unchecked={unchecked.includes(f.artifactId)}
          />
        ))}
      </tbody>
    </table>
  );
}

function FileRow({
  f,
  pub,
  disabled,
  unchecked,
}: {
  f: PreviewFile;
  pub: boolean;
  disabled: boolean;
  unchecked: boolean;
}) {
  const toggle = useBundleStore((s) => s.toggleArtifact);
  const forced = !f.included && !unchecked;
  return (
    <tr className={f.included ? '' : 'dim'} data-testid="export-file">
      <td>
        <input
          type="checkbox"
          aria-label={`Include ${f.name}`}
          checked={f.included}
          disabled={disabled || forced}
          onChange={() => toggle(f.artifactId)}
        />
      </td>
      <td>
        <div className="mono ellipsis" title={f.name}>
          {f.name}
        </div>
        {f.included && f.entryName && f.entryName !== f.name && (
          <div className="small muted mono ellipsis">as {f.entryName}</div>
        )}
        {f.note && <div className={`small ${f.included ? 'warn-note' : 'muted'}`}>{f.note}</div>}
      </td>
      <td>{f.role}</td>
      <td className="num mono nowrap">{formatBytes(f.size)}</td>
      <td>
        {f.included ? (
          <span className={`pill treatment-${f.treatment}`}>{TREATMENT_LABEL[f.treatment ?? ''] ?? '—'}</span>
        ) : (
          'left out'
        )}
      </td>
      {pub && <td className="num">{f.included ? f.hits : ''}</td>}
    </tr>
  );
}
