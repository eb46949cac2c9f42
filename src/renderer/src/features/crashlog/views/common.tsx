import { useMemo, useState, type ReactNode } from 'react';

/** Rows shown at once in the long tables; the filter box narrows the rest. */
const MAX_ROWS = 3000;

export function Filter({
  value,
  onChange,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
}) {
  return (
    <input
      className="cl-filter"
      type="search"
      placeholder={`Filter ${label}…`}
      aria-label={`Filter ${label}`}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function useFiltered<T>(
  items: readonly T[],
  text: (t: T) => string,
): [T[], string, (v: string) => void] {
  const [q, setQ] = useState('');
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const hit = needle ? items.filter((i) => text(i).toLowerCase().includes(needle)) : items;
    return hit.slice(0, MAX_ROWS);
  }, [items, q, text]);
  return [rows, q, setQ];
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted pad">{children}</p>;
}
