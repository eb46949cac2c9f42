import type { BundlePreview } from '../../../../../shared/contract/bundle';
import { useBundleStore } from '../bundle-store';

/** ETL in or out; dumps whole or thread stacks only. */
export function ExportOptions({
  preview,
  includeEtl,
  stacksOnly,
  disabled,
}: {
  preview: BundlePreview | null;
  includeEtl: boolean;
  stacksOnly: boolean;
  disabled: boolean;
}) {
  const setOption = useBundleStore((s) => s.setOption);
  return (
    <div className="export-options">
      <label>
        <input
          type="checkbox"
          checked={includeEtl}
          disabled={disabled || !preview?.files.some((f) => f.role === 'etl')}
          data-testid="export-include-etl"
          onChange={(e) => setOption({ includeEtl: e.target.checked })}
        />{' '}
        Include ETL traces <span className="muted small">(cannot be redacted yet)</span>
      </label>
      <label>
        <input
          type="checkbox"
          checked={stacksOnly}
          disabled={disabled || !preview?.files.some((f) => f.role === 'dump' && f.included)}
          data-testid="export-stacks-only"
          onChange={(e) => setOption({ stacksOnly: e.target.checked })}
        />{' '}
        Dumps: thread stacks only <span className="muted small">(smaller, less private memory)</span>
      </label>
    </div>
  );
}
