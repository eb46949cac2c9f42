import { useState } from 'react';
import { useBundleStore } from '../bundle-store';

/** Words the rules cannot know (a nickname, a server, a guild): replaced in every public export. */
export function AlwaysRedact({ disabled }: { disabled: boolean }) {
  const words = useBundleStore((s) => s.words);
  const save = useBundleStore((s) => s.saveWords);
  const [text, setText] = useState<string | null>(null);
  const value = text ?? (words ?? []).join(', ');
  const parsed = value
    .split(/[,\n]/)
    .map((w) => w.trim())
    .filter(Boolean);
  const dirty = text !== null && parsed.join('\u0000') !== (words ?? []).join('\u0000');
  return (
    <form
      className="always-redact"
      onSubmit={(e) => {
        e.preventDefault();
        void save(parsed).then(() => setText(null));
      }}
    >
      <label htmlFor="always-redact">Always replace</label>
      <input
        id="always-redact"
        className="mono"
        placeholder="nicknames, a server name… (comma-separated)"
        value={value}
        disabled={disabled || words === null}
        data-testid="always-redact"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" disabled={disabled || !dirty} data-testid="always-redact-save">
        Save
      </button>
    </form>
  );
}
