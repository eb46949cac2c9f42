import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { takeFocus } from '../incident/focus-store';
import { LOGGER_LABEL, type CrashLogAnalysis, type CrashLogSlot } from '../../../../shared/domain/crashlog';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { LazyCodeView } from '../../lib/monaco/LazyCodeView';
import { FindingsList } from '../incident/FindingsList';
import { useCrashLogStore, type CrashLogView } from './crashlog-store';
import './crashlog.css';

export function hasCrashLog(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => a.role === 'crashlog');
}

/** Rows shown at once in the long tables; the filter box narrows the rest. */
const MAX_ROWS = 3000;

function Filter({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
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

function useFiltered<T>(items: readonly T[], text: (t: T) => string): [T[], string, (v: string) => void] {
  const [q, setQ] = useState('');
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const hit = needle ? items.filter((i) => text(i).toLowerCase().includes(needle)) : items;
    return hit.slice(0, MAX_ROWS);
  }, [items, q, text]);
  return [rows, q, setQ];
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="muted pad">{children}</p>;
}

/** One row of the exception's facts: label, monospace value. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className="mono">{children}</dd>
    </div>
  );
}

function Summary({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  const ex = p.exception;
  const showRawLine = useCrashLogStore((s) => s.showRawLine);
  return (
    <div className="cl-summary">
      <section>
        <h2>Exception</h2>
        {ex ? (
          <dl className="facts">
            <Fact label="Name">{ex.name ?? '(not named by the logger)'}</Fact>
            <Fact label="Address">{ex.address ?? '—'}</Fact>
            <Fact label="Where">
              {ex.module ? `${ex.module}+${ex.offset ?? ''}` : 'outside every loaded module'}
            </Fact>
            {ex.symbol && <Fact label="Function">{ex.symbol}</Fact>}
            {ex.instruction && <Fact label="Instruction">{ex.instruction}</Fact>}
            {ex.thread !== null && <Fact label="Thread">{ex.thread}</Fact>}
            {ex.details.map((d, i) => (
              <Fact key={i} label={i === 0 ? 'Details' : ''}>
                {d}
              </Fact>
            ))}
          </dl>
        ) : (
          <p className="muted">No exception line in this log.</p>
        )}
      </section>

      <section data-testid="crashlog-findings">
        <h2>Known issues{a.findings.length ? ` (${a.findings.length})` : ''}</h2>
        <FindingsList findings={a.findings} empty="No known-issue rule matched this log." />
      </section>

      <div className="overview-grid">
        <section>
          <h2>Suspects named in the call stack</h2>
          {a.suspects.length ? (
            <table className="data-table">
              <thead>
                <tr>
                  <th>Module / plugin</th>
                  <th className="num">Lines</th>
                  <th>Evidence</th>
                </tr>
              </thead>
              <tbody>
                {a.suspects.slice(0, 15).map((s) => (
                  <tr key={s.name}>
                    <td className="mono">{s.name}</td>
                    <td className="num">{s.hits}</td>
                    <td>{s.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No plugin or module of the log is named in its call-stack area.</p>
          )}
        </section>
        <section>
          <h2>Form ids</h2>
          {a.formIds.length ? (
            <table className="data-table">
              <thead>
                <tr>
                  <th>Form id</th>
                  <th>Plugin</th>
                  <th className="num">Times</th>
                </tr>
              </thead>
              <tbody>
                {a.formIds.slice(0, 50).map((f) => (
                  <tr key={f.formId}>
                    <td className="mono">{f.formId}</td>
                    <td className="mono">{f.plugin ?? '?'}</td>
                    <td className="num">{f.hits}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No form ids near the crash.</p>
          )}
        </section>
      </div>

      {(p.problems.length > 0 || p.unknownSections.length > 0) && (
        <section className="cl-problems" data-testid="crashlog-problems">
          <h2>What the parser could not use</h2>
          <ul>
            {p.problems.map((pr, i) => (
              <li key={i}>
                {pr.message}
                {pr.line !== null && (
                  <>
                    {' '}
                    <button type="button" className="link-button" onClick={() => showRawLine(pr.line ?? 1)}>
                      line {pr.line}
                    </button>
                  </>
                )}
              </li>
            ))}
            {p.unknownSections.map((s) => (
              <li key={`${s.name}-${s.line}`}>
                Section <span className="mono">{s.name}</span> kept as written ({s.lines.length} lines){' '}
                <button type="button" className="link-button" onClick={() => showRawLine(s.line)}>
                  show
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function CallStack({ a }: { a: CrashLogAnalysis }) {
  const frames = a.parsed.callStack;
  if (!frames.length) return <Empty>No call stack in this log.</Empty>;
  const faulting = a.parsed.exception?.module?.toLowerCase();
  return (
    <table className="data-table cl-table" data-testid="crashlog-callstack">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Address</th>
          <th>Module + offset</th>
          <th>Function / instruction</th>
        </tr>
      </thead>
      <tbody>
        {frames.map((f, i) => (
          <tr
            key={i}
            className={f.module && f.module.toLowerCase() === faulting && i === 0 ? 'cl-fault' : ''}
          >
            <td className="num">{f.index}</td>
            <td className="mono">{f.address ?? ''}</td>
            <td className="mono">{f.module ? `${f.module}+${f.offset ?? ''}` : '—'}</td>
            <td className="mono">
              {[f.symbol, f.instruction, f.addressId ? `id ${f.addressId}` : null]
                .filter(Boolean)
                .join('  ·  ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const slotText = (s: CrashLogSlot) =>
  `${s.name} ${s.value ?? ''} ${s.annotation ?? ''} ${s.details.join(' ')}`;

function Slots({ slots, label, testId }: { slots: CrashLogSlot[]; label: string; testId: string }) {
  const [rows, q, setQ] = useFiltered(slots, slotText);
  if (!slots.length) return <Empty>No {label} in this log.</Empty>;
  return (
    <div className="cl-list">
      <div className="cl-list-bar">
        <Filter value={q} onChange={setQ} label={label} />
        <span className="muted small">
          {rows.length} of {slots.length}
        </span>
      </div>
      <table className="data-table cl-table" data-testid={testId}>
        <thead>
          <tr>
            <th>{label === 'registers' ? 'Register' : 'Slot'}</th>
            <th>Value</th>
            <th>What the logger found there</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s, i) => (
            <tr key={`${s.name}-${i}`}>
              <td className="mono">{s.name}</td>
              <td className="mono">{s.value ?? ''}</td>
              <td className="mono">
                {s.annotation}
                {s.details.length > 0 && (
                  <pre className="cl-details">{s.details.map((d) => d.trim()).join('\n')}</pre>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Modules({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  const [rows, q, setQ] = useFiltered(p.modules, (m) => m.name);
  return (
    <div className="cl-list">
      <div className="overview-grid">
        <section>
          <div className="cl-list-bar">
            <h2>Modules ({p.modules.length})</h2>
            <Filter value={q} onChange={setQ} label="modules" />
          </div>
          <table className="data-table cl-table" data-testid="crashlog-modules">
            <thead>
              <tr>
                <th>Module</th>
                <th>Base</th>
                <th>Version</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m, i) => (
                <tr key={`${m.name}-${i}`}>
                  <td className="mono">{m.name}</td>
                  <td className="mono">{m.base ?? ''}</td>
                  <td className="mono">{m.version ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h2>
            {p.gameFamily === 'fallout4' ? 'F4SE' : p.logger === 'netscriptframework' ? 'NSF' : 'SKSE'}{' '}
            plugins ({p.xsePlugins.length})
          </h2>
          {p.xsePlugins.length ? (
            <table className="data-table cl-table">
              <thead>
                <tr>
                  <th>Plugin</th>
                  <th>Version</th>
                </tr>
              </thead>
              <tbody>
                {p.xsePlugins.map((x, i) => (
                  <tr key={`${x.name}-${i}`}>
                    <td className="mono">{x.name}</td>
                    <td className="mono">{x.version ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">This logger lists no script-extender plugins separately.</p>
          )}
        </section>
      </div>
    </div>
  );
}

function Plugins({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  const [rows, q, setQ] = useFiltered(p.gamePlugins, (g) => `${g.index ?? ''} ${g.name}`);
  if (!p.gamePlugins.length)
    return (
      <Empty>{p.pluginsListed ? 'The log has an empty load order.' : 'The log has no load order.'}</Empty>
    );
  const light = p.gamePlugins.filter((g) => g.light).length;
  return (
    <div className="cl-list">
      <div className="cl-list-bar">
        <Filter value={q} onChange={setQ} label="plugins" />
        <span className="muted small">
          {p.gamePlugins.length} plugins: {p.gamePlugins.length - light} full, {light} light
          {p.pluginCounts ? ` (the logger counts ${p.pluginCounts.total})` : ''}
        </span>
      </div>
      <table className="data-table cl-table" data-testid="crashlog-plugins">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Index</th>
            <th>Plugin</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.order}>
              <td className="num">{g.order}</td>
              <td className="mono">
                {g.index ?? ''}
                {g.light && <span className="cl-light">light</span>}
              </td>
              <td className="mono">{g.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Objects({ a }: { a: CrashLogAnalysis }) {
  const objs = a.parsed.relevantObjects;
  const [rows, q, setQ] = useFiltered(objs, (o) => o.text);
  if (!objs.length) return <Empty>The logger found no game objects near the crash.</Empty>;
  return (
    <div className="cl-list">
      <div className="cl-list-bar">
        <Filter value={q} onChange={setQ} label="objects" />
        <span className="muted small">
          {rows.length} of {objs.length}
        </span>
      </div>
      <table className="data-table cl-table" data-testid="crashlog-objects">
        <thead>
          <tr>
            <th>Where</th>
            <th>Type</th>
            <th>Name / editor id</th>
            <th>Form id</th>
            <th>Plugin</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o, i) => (
            <tr key={i} title={o.text}>
              <td className="mono">{o.where}</td>
              <td className="mono">{o.type ?? ''}</td>
              <td>{[o.name, o.editorId].filter(Boolean).join(' · ')}</td>
              <td className="mono">{o.formId ?? ''}</td>
              <td className="mono" title={o.files.join(' ← ')}>
                {o.file ?? ''}
                {o.files.length > 1 && <span className="muted small"> +{o.files.length - 1}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Raw({ a }: { a: CrashLogAnalysis }) {
  const text = useCrashLogStore((s) => s.text);
  const truncated = useCrashLogStore((s) => s.truncated);
  const line = useCrashLogStore((s) => s.rawLine);
  const artifactId = useCrashLogStore((s) => s.artifactId);
  const showRawLine = useCrashLogStore((s) => s.showRawLine);
  return (
    <div className="cl-raw">
      <nav className="cl-outline" aria-label="Sections">
        {a.parsed.outline.map((o) => (
          <button
            type="button"
            key={`${o.name}-${o.line}`}
            className={line === o.line ? 'active' : ''}
            onClick={() => showRawLine(o.line)}
          >
            <span>{o.name}</span>
            <span className="muted small">{o.line}</span>
          </button>
        ))}
      </nav>
      <div className="cl-raw-body" data-testid="crashlog-raw">
        {truncated && <div className="banner info">Only the first 8 MiB of this log are shown.</div>}
        {text !== null && (
          <LazyCodeView
            value={text}
            language="plaintext"
            path={`inmemory://ctd/crashlog/${artifactId ?? 0}.log`}
            revealLine={line ?? undefined}
          />
        )}
      </div>
    </div>
  );
}

function Rules() {
  const rules = useCrashLogStore((s) => s.rules);
  const error = useCrashLogStore((s) => s.rulesError);
  const loadRules = useCrashLogStore((s) => s.loadRules);
  const setUserRules = useCrashLogStore((s) => s.setUserRules);
  useEffect(() => {
    void loadRules();
  }, [loadRules]);
  if (error) return <div className="banner error">{error}</div>;
  if (!rules) return <Empty>Loading rules…</Empty>;
  return (
    <div className="cl-rules" data-testid="crashlog-rules">
      <label className="cl-toggle">
        <input
          type="checkbox"
          checked={rules.userRulesEnabled}
          onChange={(e) => void setUserRules(e.target.checked)}
        />
        Also use my own rule files from <span className="mono">{rules.userFolder}</span>
      </label>
      <p className="muted small">
        Drop <span className="mono">*.json</span> rule files there (format: resources/rules/README.md). A rule
        with the id of a bundled one replaces it. The Crash log tab always uses the current rules; stored
        incidents pick them up when the index is rebuilt.
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>Rule file</th>
            <th>From</th>
            <th className="num">Rules</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {rules.sets.map((s) => (
            <tr key={`${s.origin}-${s.path ?? s.name}`}>
              <td>
                {s.name}
                {s.path && <div className="mono small muted">{s.path}</div>}
              </td>
              <td>{s.origin}</td>
              <td className="num">{s.rules}</td>
              <td className={s.error ? 'schema-problems' : ''}>{s.error ?? 'loaded'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const VIEWS: { id: CrashLogView; label: (a: CrashLogAnalysis) => string }[] = [
  { id: 'summary', label: (a) => `Summary${a.findings.length ? ` · ${a.findings.length}` : ''}` },
  { id: 'stack', label: (a) => `Call stack (${a.parsed.callStack.length})` },
  { id: 'registers', label: (a) => `Registers (${a.parsed.registers.length})` },
  { id: 'slots', label: (a) => `Stack (${a.parsed.stack.length})` },
  { id: 'modules', label: (a) => `Modules (${a.parsed.modules.length})` },
  { id: 'plugins', label: (a) => `Plugins (${a.parsed.gamePlugins.length})` },
  { id: 'objects', label: (a) => `Objects (${a.parsed.relevantObjects.length})` },
  { id: 'raw', label: () => 'Raw' },
  { id: 'rules', label: () => 'Rules' },
];

/** Crash log tab: everything the parser read from the log, the findings, and the log itself. */
export function CrashLogTab({ incident }: { incident: IncidentDetail }) {
  const s = useCrashLogStore();
  const { load } = s;
  useEffect(() => {
    void load(incident.id).then(() => {
      // Opened from the Timeline: the raw log at that line.
      const line = takeFocus('crashlog')?.line;
      if (line) useCrashLogStore.getState().showRawLine(line);
    });
  }, [incident.id, load]);
  if (s.incidentId !== incident.id || s.loading)
    return <div className="pad muted">Reading the crash log…</div>;
  const a = s.analysis;
  if (!a) return <div className="pad banner error">{s.error ?? 'No crash log.'}</div>;
  const p = a.parsed;
  return (
    <div className="cl-tab" data-testid="crashlog-tab">
      <div className="cl-head">
        <div className="cl-verdict" data-testid="crashlog-verdict">
          {a.verdict.title}
        </div>
        <div className="cl-meta muted">
          <span>
            {LOGGER_LABEL[p.logger]} {p.loggerVersion ?? ''}
          </span>
          {p.game && (
            <span>
              {p.game} {p.gameVersion ?? ''}
            </span>
          )}
          <span>{a.file}</span>
          <span>
            {p.lineCount} lines · {p.encoding}
          </span>
        </div>
        <div className="segmented cl-views" role="tablist" aria-label="Crash log sections">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={s.view === v.id}
              className={s.view === v.id ? 'active' : ''}
              onClick={() => s.setView(v.id)}
            >
              {v.label(a)}
            </button>
          ))}
        </div>
      </div>
      <div className={`cl-body cl-body-${s.view}`}>
        {s.view === 'summary' && <Summary a={a} />}
        {s.view === 'stack' && <CallStack a={a} />}
        {s.view === 'registers' && (
          <Slots slots={p.registers} label="registers" testId="crashlog-registers" />
        )}
        {s.view === 'slots' && <Slots slots={p.stack} label="stack slots" testId="crashlog-stack" />}
        {s.view === 'modules' && <Modules a={a} />}
        {s.view === 'plugins' && <Plugins a={a} />}
        {s.view === 'objects' && <Objects a={a} />}
        {s.view === 'raw' && <Raw a={a} />}
        {s.view === 'rules' && <Rules />}
      </div>
    </div>
  );
}
