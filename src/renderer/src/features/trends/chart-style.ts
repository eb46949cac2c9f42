/** Recharts styling from the app's CSS variables, so charts follow the light/dark theme. */
export const AXIS = { tick: { fill: 'var(--fg-muted)', fontSize: 11 }, stroke: 'var(--border)' } as const;
export const TOOLTIP = {
  cursor: { fill: 'var(--bg-hover)' },
  contentStyle: {
    background: 'var(--bg-elev)',
    border: '1px solid var(--border)',
    borderRadius: 6,
    fontSize: 12,
  },
  labelStyle: { color: 'var(--fg)' },
} as const;
export const LEGEND = { wrapperStyle: { fontSize: 12 }, iconSize: 10 } as const;
