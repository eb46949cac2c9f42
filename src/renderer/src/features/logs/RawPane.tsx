import { useState } from 'react';
import { LazyCodeView } from '../../lib/monaco/LazyCodeView';
import { LOG_LANGUAGE } from '../../lib/monaco/log-language';
import { KeptLines } from './KeptLines';
import { useLogsStore } from './logs-store';

/** The raw log in Monaco, a window of lines at a time (a 1 GB log never reaches the page whole). */
export function RawPane({ artifactId }: { artifactId: number }) {
  const raw = useLogsStore((s) => s.raw);
  const loading = useLogsStore((s) => s.rawLoading);
  const error = useLogsStore((s) => s.rawError);
  const jumpTo = useLogsStore((s) => s.jumpTo);
  const shift = useLogsStore((s) => s.shift);
  const [goto, setGoto] = useState('');
  const [mode, setMode] = useState<'raw' | 'kept'>('raw');
  const keptCount = useLogsStore((s) => s.keptLines?.length ?? 0);

  const go = () => {
    const n = Number(goto);
    if (Number.isInteger(n) && n >= 1) {
      setMode('raw');
      void jumpTo(n);
    }
  };

  return (
    <section className="logs-raw" data-testid="log-raw">
      <div className="logs-raw-bar">
        <div className="segmented" role="group" aria-label="Lower pane">
          <button type="button" className={mode === 'raw' ? 'on' : ''} onClick={() => setMode('raw')}>
            Raw log
          </button>
          <button
            type="button"
            className={mode === 'kept' ? 'on' : ''}
            onClick={() => setMode('kept')}
            data-testid="show-kept"
          >
            Error lines ({keptCount})
          </button>
        </div>
        {mode === 'raw' && (
          <>
            <button
              type="button"
              disabled={!raw || raw.fromLine <= 1 || loading}
              onClick={() => void shift(-1)}
              data-testid="raw-earlier"
            >
              ↑ Earlier
            </button>
            <button
              type="button"
              disabled={!raw || raw.eof || loading}
              onClick={() => void shift(1)}
              data-testid="raw-later"
            >
              Later ↓
            </button>
            <span className="muted small" data-testid="raw-range">
              {raw
                ? raw.toLine >= raw.fromLine
                  ? `Lines ${raw.fromLine.toLocaleString()}–${raw.toLine.toLocaleString()} of ${raw.totalLines.toLocaleString()}`
                  : 'Past the end of the log'
                : 'Loading…'}
              {raw && raw.longLines > 0 ? ` · ${raw.longLines} long line(s) cut` : ''}
            </span>
          </>
        )}
        <span className="spacer" />
        <input
          className="logs-goto"
          inputMode="numeric"
          placeholder="Go to line"
          aria-label="Go to line"
          value={goto}
          onChange={(e) => setGoto(e.target.value.replace(/\D/g, ''))}
          onKeyDown={(e) => e.key === 'Enter' && go()}
        />
      </div>
      {error && <div className="banner error">{error}</div>}
      <div className="viewer-body">
        {mode === 'kept' && (
          <KeptLines
            onOpenLine={(line) => {
              setMode('raw');
              void jumpTo(line);
            }}
          />
        )}
        {mode === 'raw' && raw && (
          <LazyCodeView
            value={raw.text}
            language={LOG_LANGUAGE}
            path={`inmemory://ctd/log/${artifactId}.log`}
            firstLineNumber={raw.fromLine}
            revealLine={raw.focus !== null ? raw.focus - raw.fromLine + 1 : undefined}
            wordWrap="off"
          />
        )}
      </div>
    </section>
  );
}
