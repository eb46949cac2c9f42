import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CauseMatch, IncidentCauses } from '../../../../shared/domain/causes';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { invoke } from '../../api/client';
import { errorMessage, formatTime } from '../../lib/format';
import { useDetailStore } from '../incident/detail-store';
import { useListStore } from '../incident/list-store';
import './causes.css';

/** "module:smartharvestse.dll" → "smartharvestse.dll". */
const culpritName = (key: string) => key.slice(key.indexOf(':') + 1);
const day = (iso: string) => iso.slice(0, 10);

function matchText(c: CauseMatch): string {
  if (c.matchedBy === 'both') return 'same crash and same culprit';
  if (c.matchedBy === 'bucket') return 'same crash (bucket)';
  return `same culprit (${culpritName(c.culpritKey ?? '')})`;
}

/**
 * Above Overview's probable cause: what the player already confirmed for this crash (by its
 * bucket or its culprit), whether its bucket regressed, and the form to confirm a cause.
 */
export function LearnedCauses({ incident }: { incident: IncidentDetail }) {
  const [loaded, setLoaded] = useState<{ id: string; data: IncidentCauses } | null>(null);
  const data = loaded?.id === incident.id ? loaded.data : null;
  const [error, setError] = useState<string | null>(null);
  // Bumped after a confirm or forget: the effect reads the causes again.
  const [rev, setRev] = useState(0);
  useEffect(() => {
    let live = true;
    invoke('causes:forIncident', { id: incident.id })
      .then((r) => {
        if (!live) return;
        setLoaded({ id: incident.id, data: r });
        setError(null);
      })
      .catch((e: unknown) => {
        if (live) setError(errorMessage(e));
      });
    return () => {
      live = false;
    };
  }, [incident.id, incident.status, rev]);
  const reload = async () => setRev((n) => n + 1);

  const forget = async (id: number) => {
    await invoke('causes:remove', { id }).catch((e: unknown) => setError(errorMessage(e)));
    await reload();
  };

  return (
    <section className="learned" data-testid="learned-causes" aria-label="Causes you confirmed">
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {data?.regressed && (
        <div className="learned-regressed" role="status" data-testid="regressed-banner">
          <strong>Regressed:</strong> this crash was marked fixed on {day(data.regressed.fixedAt)}
          {data.regressed.fix ? ` (“${data.regressed.fix}”)` : ''} and happened again.
        </div>
      )}
      {data?.confirmed.slice(0, 3).map((c) => (
        <div key={c.id} className="learned-cause" data-testid="learned-cause">
          <div className="learned-head">
            {c.origin === 'local'
              ? `You confirmed “${c.cause}” for this crash on ${day(c.confirmedAt)}`
              : `A shared rule says: “${c.cause}”`}
          </div>
          {c.fix && (
            <div className="learned-fix">
              {c.fixed ? 'The fix that worked: ' : 'Fix: '}
              {c.fix}
            </div>
          )}
          <div className="learned-meta">
            <span>{matchText(c)}</span>
            {c.incidentId === incident.id && <span>(this incident)</span>}
            {c.incidentCapturedAt && c.incidentId !== incident.id && (
              <span>crash of {formatTime(c.incidentCapturedAt)}</span>
            )}
            {c.source && <span className="mono">{c.source}</span>}
            <button type="button" className="link-button" onClick={() => void forget(c.id)}>
              Forget
            </button>
          </div>
        </div>
      ))}
      {data && <ConfirmForm incident={incident} data={data} onDone={reload} />}
    </section>
  );
}

function ConfirmForm({
  incident,
  data,
  onDone,
}: {
  incident: IncidentDetail;
  data: IncidentCauses;
  onDone: () => Promise<void>;
}) {
  const pc = incident.verdict?.probableCause ?? null;
  const names = [
    ...new Set([
      ...(pc?.subject && (pc.subjectKind === 'module' || pc.subjectKind === 'plugin') ? [pc.subject] : []),
      ...(incident.verdict?.suspects ?? []).map((s) => s.name),
    ]),
  ].slice(0, 12);
  const [cause, setCause] = useState('');
  const [fix, setFix] = useState('');
  const [fixed, setFixed] = useState(false);
  const [culprit, setCulprit] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!cause.trim()) return;
    setBusy(true);
    setMsg(null);
    try {
      await invoke('causes:confirm', {
        incidentId: incident.id,
        cause: cause.trim(),
        fix: fix.trim(),
        fixed,
        culprit: culprit || null,
      });
      setCause('');
      setFix('');
      setFixed(false);
      setOpen(false);
      if (fixed) useListStore.getState().patchRow(incident.id, { status: 'fixed' });
      await useDetailStore.getState().reload();
      await onDone();
    } catch (err) {
      setMsg(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const keyed = data.bucket || data.culpritKey;
  return (
    <details
      className="confirm-cause"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
      data-testid="confirm-cause"
    >
      <summary>This was the cause…</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="cause-text">What was it</label>
        <input
          id="cause-text"
          value={cause}
          maxLength={2000}
          required
          placeholder="It was Smart Harvest"
          onChange={(e) => setCause(e.target.value)}
          data-testid="cause-text"
        />
        <label htmlFor="cause-fix">What fixed it</label>
        <input
          id="cause-fix"
          value={fix}
          maxLength={2000}
          placeholder="Updating to 5.3 fixed it"
          onChange={(e) => setFix(e.target.value)}
          data-testid="cause-fix"
        />
        <label htmlFor="cause-culprit">Culprit file</label>
        <select id="cause-culprit" value={culprit} onChange={(e) => setCulprit(e.target.value)}>
          <option value="">
            {data.culpritKey
              ? `The probable cause (${culpritName(data.culpritKey)})`
              : 'None: this crash only'}
          </option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <label className="full">
          <input type="checkbox" checked={fixed} onChange={(e) => setFixed(e.target.checked)} /> The fix
          worked: mark this crash fixed (if it comes back, it is flagged as regressed)
        </label>
        <div className="full actions">
          <button type="submit" disabled={busy || !cause.trim()} data-testid="cause-submit">
            Confirm
          </button>
          {!keyed && !culprit && (
            <span className="muted small">
              This incident has no bucket or probable culprit yet: pick the culprit file so later crashes can
              be matched.
            </span>
          )}
          {msg && (
            <span className="error-text" role="alert">
              {msg}
            </span>
          )}
        </div>
      </form>
      <ShareRules />
    </details>
  );
}

/** Confirmed causes as a rule file (to share), and a shared rule file in. */
function ShareRules() {
  const [msg, setMsg] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const exportRules = async () => {
    try {
      const r = await invoke('causes:exportRules', { name: 'Confirmed causes' });
      const url = URL.createObjectURL(new Blob([r.text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = r.fileName;
      a.click();
      URL.revokeObjectURL(url);
      setMsg(`${r.rules} rule${r.rules === 1 ? '' : 's'} exported as ${r.fileName}.`);
    } catch (e) {
      setMsg(errorMessage(e));
    }
  };
  const importRules = async (file: File) => {
    try {
      const r = await invoke('causes:importRules', { fileName: file.name, text: await file.text() });
      setMsg(`${r.added} confirmed cause${r.added === 1 ? '' : 's'} added (${r.known} already known).`);
    } catch (e) {
      setMsg(errorMessage(e));
    }
  };
  return (
    <div className="actions" data-testid="share-rules">
      <button type="button" className="link-button" onClick={() => void exportRules()}>
        Export confirmed causes as rules
      </button>
      <button type="button" className="link-button" onClick={() => input.current?.click()}>
        Import a rule file
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Rule file to import"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importRules(f);
          e.target.value = '';
        }}
      />
      {msg && (
        <span className="muted small" role="status">
          {msg}
        </span>
      )}
    </div>
  );
}
