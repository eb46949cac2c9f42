import { useAppStore } from '../../app/app-store';
import { usePreferencesStore } from './preferences-store';
import './preferences.css';

/** Browsers ask the user once; the desktop app needs no permission. */
async function browserPermission(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    await Notification.requestPermission();
  } catch {
    // Denied or unsupported: the app falls back to its own toast.
  }
}

/** On or off: a desktop notification when a new crash or hang is indexed. */
export function NotifySetting() {
  const on = usePreferencesStore((s) => s.state?.prefs.notifyNewIncidents ?? null);
  const save = usePreferencesStore((s) => s.save);
  const browser = useAppStore((s) => s.info?.transport === 'serve');
  if (on === null) return null;
  const denied = browser && typeof Notification !== 'undefined' && Notification.permission === 'denied';
  return (
    <label className="prefs-toggle" data-testid="notify-setting">
      <input
        type="checkbox"
        checked={on}
        data-testid="notify-toggle"
        onChange={(e) => {
          const next = e.target.checked;
          if (next && browser) void browserPermission();
          void save({ notifyNewIncidents: next });
        }}
      />{' '}
      Tell me when a new crash or hang is indexed
      {browser && (
        <span className="muted small">
          {' '}
          (
          {denied
            ? 'the browser blocks notifications: shown inside the app'
            : 'a browser notification, or a message here'}
          )
        </span>
      )}
    </label>
  );
}
