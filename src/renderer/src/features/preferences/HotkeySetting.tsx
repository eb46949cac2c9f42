import { useState } from 'react';
import { acceleratorLabel, acceleratorProblem } from '../../../../shared/domain/accelerator';
import { usePreferencesStore } from './preferences-store';
import './preferences.css';

const DEFAULT = 'CommandOrControl+Shift+F12';

/** The global capture hotkey: change it, turn it off, see whether it is really registered. */
export function HotkeySetting() {
  const state = usePreferencesStore((s) => s.state);
  const saving = usePreferencesStore((s) => s.saving);
  const save = usePreferencesStore((s) => s.save);
  const [text, setText] = useState<string | null>(null);
  if (!state) return null;
  const current = state.prefs.captureHotkey;
  const value = text ?? current;
  const problem = value.trim() === '' ? null : acceleratorProblem(value.trim());
  const hk = state.hotkey;
  const status =
    hk.state === 'active'
      ? `Active: ${acceleratorLabel(current)} captures the game from anywhere (also from the tray icon).`
      : hk.state === 'off'
        ? 'Off.'
        : (hk.message ?? 'Not registered.');
  const submit = (accel: string) =>
    void save({ captureHotkey: accel }).then((ok) => {
      if (ok) setText(null);
    });
  return (
    <section className="prefs-section" data-testid="hotkey-setting">
      <h2>Global capture hotkey</h2>
      <form
        className="prefs-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) submit(value.trim());
        }}
      >
        <input
          className="mono"
          aria-label="Capture hotkey"
          aria-invalid={!!problem}
          aria-describedby="hotkey-status"
          placeholder="off"
          value={value}
          data-testid="hotkey-input"
          onChange={(e) => setText(e.target.value)}
        />
        <button
          type="submit"
          disabled={saving || !!problem || value.trim() === current}
          data-testid="hotkey-save"
        >
          Save
        </button>
        <button
          type="button"
          disabled={saving || current === ''}
          onClick={() => submit('')}
          data-testid="hotkey-off"
        >
          Turn off
        </button>
        {current !== DEFAULT && (
          <button type="button" disabled={saving} onClick={() => submit(DEFAULT)}>
            Default ({acceleratorLabel(DEFAULT)})
          </button>
        )}
      </form>
      <p
        id="hotkey-status"
        className={`small ${problem || hk.state === 'failed' ? 'warn-text' : 'muted'}`}
        data-testid="hotkey-status"
      >
        {problem ?? status}
      </p>
    </section>
  );
}
