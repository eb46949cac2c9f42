import type { BundlePreset } from '../../../../../shared/domain/bundle';
import { useBundleStore } from '../bundle-store';

const PRESETS = [
  ['public', 'Public (redacted)'],
  ['private', 'Private (full)'],
] as const;

/** Public (redacted) or Private (full), with what the choice means. */
export function PresetPicker({ preset, disabled }: { preset: BundlePreset; disabled: boolean }) {
  const setOption = useBundleStore((s) => s.setOption);
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label="Bundle preset" data-testid="export-preset">
        {PRESETS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="radio"
            aria-checked={preset === id}
            className={preset === id ? 'active' : ''}
            disabled={disabled}
            data-testid={`preset-${id}`}
            onClick={() => setOption({ preset: id })}
          >
            {label}
          </button>
        ))}
      </div>
      <p className="small muted preset-note">
        {preset === 'public'
          ? 'Safe to post: user and machine names, profile paths, account ids, e-mail, IPs and secrets are replaced by stand-ins such as <user>; dumps are sanitized.'
          : 'Unredacted copies of every file. Share only with people you trust (a developer who asked for it).'}
      </p>
    </>
  );
}
