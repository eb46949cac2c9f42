/**
 * Keyboard shortcuts in Electron's accelerator syntax ("CommandOrControl+Shift+F12"), checked
 * the same way in the renderer (while typing) and in main (before registering).
 */
const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);

const NAMED_KEYS = new Set([
  'plus',
  'space',
  'tab',
  'capslock',
  'numlock',
  'scrolllock',
  'backspace',
  'delete',
  'insert',
  'return',
  'enter',
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'escape',
  'esc',
  'printscreen',
  'pause',
]);

/** A key that is fine without modifiers: a global F-key rarely collides with typing. */
const FUNCTION_KEY = /^f([1-9]|1[0-9]|2[0-4])$/i;

function isKey(k: string): boolean {
  return (
    /^[a-z0-9]$/i.test(k) ||
    FUNCTION_KEY.test(k) ||
    NAMED_KEYS.has(k.toLowerCase()) ||
    /^num[0-9]$/i.test(k) ||
    /^[)!@#$%^&*(:;'"<>,.?/~`{}[\]\\|=_-]$/.test(k)
  );
}

/** Null when `accel` is a usable global shortcut, else what is wrong with it, in words. */
export function acceleratorProblem(accel: string): string | null {
  const parts = accel.split('+').map((p) => p.trim());
  if (parts.some((p) => p === ''))
    return 'Write it as modifiers and one key joined by "+", e.g. Ctrl+Shift+F12.';
  const key = parts[parts.length - 1]!;
  const mods = parts.slice(0, -1);
  const unknown = mods.find((m) => !MODIFIERS.has(m.toLowerCase()));
  if (unknown) return `"${unknown}" is not a modifier (Ctrl, Alt, Shift, Super, CommandOrControl).`;
  if (MODIFIERS.has(key.toLowerCase())) return 'Add a key after the modifiers, e.g. Ctrl+Shift+F12.';
  if (!isKey(key)) return `"${key}" is not a key Electron knows (A-Z, 0-9, F1-F24, Space, Home…).`;
  if (mods.length === 0 && !FUNCTION_KEY.test(key))
    return 'A global shortcut needs a modifier (Ctrl, Alt, Shift) unless it is an F-key.';
  return null;
}

/** "CommandOrControl+Shift+F12" → "Ctrl+Shift+F12" on Windows/Linux, for labels. */
export function acceleratorLabel(accel: string, platform = 'win32'): string {
  const mac = platform === 'darwin';
  return accel
    .split('+')
    .map((p) => {
      const l = p.toLowerCase();
      if (l === 'commandorcontrol' || l === 'cmdorctrl') return mac ? 'Cmd' : 'Ctrl';
      if (l === 'control') return 'Ctrl';
      return p;
    })
    .join('+');
}
