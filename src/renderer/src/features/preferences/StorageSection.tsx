import { useEffect, useState } from 'react';
import { formatBytes } from '../../lib/format';
import { usePreferencesStore } from './preferences-store';
import './preferences.css';

const GB = 1024 ** 3;

/**
 * Disk used by the workbench's own captures and imported bundles, and the retention that keeps
 * it in bounds (by age and total size, after every capture and import, or now).
 */
export function StorageSection() {
  const prefs = usePreferencesStore((s) => s.state?.prefs ?? null);
  const usage = usePreferencesStore((s) => s.usage);
  const lastClean = usePreferencesStore((s) => s.lastClean);
  const cleaning = usePreferencesStore((s) => s.cleaning);
  const saving = usePreferencesStore((s) => s.saving);
  const { loadUsage, save, clean } = usePreferencesStore.getState();
  const [gb, setGb] = useState<string | null>(null);
  const [days, setDays] = useState<string | null>(null);

  useEffect(() => {
    void loadUsage();
  }, [loadUsage]);

  if (!prefs) return null;
  const r = prefs.retention;
  const gbValue = gb ?? String(+(r.maxBytes / GB).toFixed(2));
  const daysValue = days ?? String(r.maxAgeDays);
  const parsedGb = Number(gbValue);
  const parsedDays = Number(daysValue);
  const valid =
    gbValue.trim() !== '' &&
    daysValue.trim() !== '' &&
    Number.isFinite(parsedGb) &&
    parsedGb >= 0 &&
    Number.isInteger(parsedDays) &&
    parsedDays >= 0 &&
    parsedDays <= 3650;
  const dirty = gb !== null || days !== null;
  const pct = usage && r.maxBytes > 0 ? Math.min(100, (100 * usage.totalBytes) / r.maxBytes) : 0;

  return (
    <section className="prefs-section" data-testid="storage-section">
      <h2>Storage: captures and imported bundles</h2>
      {usage && (
        <div className="storage-usage">
          <div data-testid="storage-total">
            <strong>{formatBytes(usage.totalBytes)}</strong>
            {r.maxBytes > 0 ? ` of ${formatBytes(r.maxBytes)}` : ' (no size limit)'} · {usage.captures.items}{' '}
            capture{usage.captures.items === 1 ? '' : 's'} ({formatBytes(usage.captures.bytes)}) ·{' '}
            {usage.bundles.items} imported bundle
            {usage.bundles.items === 1 ? '' : 's'} ({formatBytes(usage.bundles.bytes)})
          </div>
          {r.maxBytes > 0 && (
            <progress max={100} value={pct} aria-label="Storage used of the limit">
              {Math.round(pct)}%
            </progress>
          )}
          <div
            className="muted small mono ellipsis"
            title={`${usage.captures.folder}\n${usage.bundles.folder}`}
          >
            {usage.captures.folder} · {usage.bundles.folder}
          </div>
        </div>
      )}
      <form
        className="prefs-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          void save({
            retention: { maxBytes: Math.round(parsedGb * GB), maxAgeDays: parsedDays },
          }).then((ok) => {
            if (ok) {
              setGb(null);
              setDays(null);
            }
          });
        }}
      >
        <label>
          Keep at most{' '}
          <input
            type="number"
            min={0}
            step="any"
            className="num-input"
            value={gbValue}
            data-testid="retention-gb"
            onChange={(e) => setGb(e.target.value)}
          />{' '}
          GiB
        </label>
        <label>
          and nothing older than{' '}
          <input
            type="number"
            min={0}
            max={3650}
            className="num-input"
            value={daysValue}
            data-testid="retention-days"
            onChange={(e) => setDays(e.target.value)}
          />{' '}
          days
        </label>
        <button type="submit" disabled={!dirty || !valid || saving} data-testid="retention-save">
          Save
        </button>
        <button type="button" disabled={cleaning} onClick={() => void clean()} data-testid="retention-clean">
          {cleaning ? 'Cleaning…' : 'Clean up now'}
        </button>
      </form>
      <p className="muted small">
        0 means no limit. Applied after every capture and bundle import, oldest first; the newest is always
        kept. Only the workbench&apos;s own captures and bundles folders are cleaned: your crash folders are
        never touched.
      </p>
      {lastClean && (
        <div className="banner info small" role="status" data-testid="retention-result">
          {lastClean.removed.length === 0
            ? 'Nothing to remove.'
            : `Removed ${lastClean.removed.length} (${formatBytes(lastClean.freedBytes)} freed).`}
          {lastClean.note ? ` ${lastClean.note}` : ''}
        </div>
      )}
    </section>
  );
}
