import type { ReactNode } from 'react';
import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import { FindingsList } from '../../incident/FindingsList';
import { useCrashLogStore } from '../crashlog-store';

/**
 * The Summary view: one section component per block, stacked in reading order. A new block
 * (say, what the log says about the player's mods) is one more component and one more line in
 * Summary below.
 */
export function Summary({ a }: { a: CrashLogAnalysis }) {
  return (
    <div className="cl-summary">
      <ExceptionSection a={a} />
      <KnownIssuesSection a={a} />
      <div className="overview-grid">
        <SuspectsSection a={a} />
        <FormIdsSection a={a} />
      </div>
      <ParserProblemsSection a={a} />
    </div>
  );
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

function ExceptionSection({ a }: { a: CrashLogAnalysis }) {
  const ex = a.parsed.exception;
  return (
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
  );
}

function KnownIssuesSection({ a }: { a: CrashLogAnalysis }) {
  return (
    <section data-testid="crashlog-findings">
      <h2>Known issues{a.findings.length ? ` (${a.findings.length})` : ''}</h2>
      <FindingsList findings={a.findings} empty="No known-issue rule matched this log." />
    </section>
  );
}

function SuspectsSection({ a }: { a: CrashLogAnalysis }) {
  return (
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
  );
}

function FormIdsSection({ a }: { a: CrashLogAnalysis }) {
  return (
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
  );
}

function ParserProblemsSection({ a }: { a: CrashLogAnalysis }) {
  const p = a.parsed;
  const showRawLine = useCrashLogStore((s) => s.showRawLine);
  if (p.problems.length === 0 && p.unknownSections.length === 0) return null;
  return (
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
  );
}
