import type { FileTreatment, RedactionCategory, RedactionReport } from '../../shared/domain/bundle';
import { ByteEngine } from './byte-engine';
import { IdentitySet, PseudonymTable, type LocalIdentity } from './identities';
import { HitCounter, IDENTITY_RULE_PREFIX, Redactor, type Span } from './redactor';
import type { RuleSet } from './rules';
import { ScanCache } from './scan-cache';

/**
 * Everything one bundle (or one issue report) shares while it is redacted: the rules, the
 * values to hide and their stand-ins, and the per-file hit counts for the report.
 *
 * Values are learned "from" a source key (`file:3`, `local:USERNAME`); keys are turned into the
 * bundle's redacted file names only when the report is written, so no original name reaches it.
 */
export interface SessionOptions {
  rules: RuleSet;
  local?: LocalIdentity[];
  extraWords?: string[];
}

const IDENTITY_DESCRIPTIONS: Record<RedactionCategory, string> = {
  user: 'A known user name, wherever it appears',
  machine: 'A known machine name, wherever it appears',
  org: 'A known organisation name, wherever it appears',
  email: 'A known e-mail address, wherever it appears',
  ip: 'A known IP address, wherever it appears',
  secret: 'A known secret value, wherever it appears',
  jwt: 'A known token, wherever it appears',
  steam: 'A known Steam id, wherever it appears',
  epic: 'A known Epic id, wherever it appears',
  gog: 'A known GOG id, wherever it appears',
  card: 'A known card number, wherever it appears',
  phone: 'A known phone number, wherever it appears',
  sid: 'A known Windows SID, wherever it appears',
  word: 'A word from your "always redact" list',
};

export class RedactionSession {
  readonly table = new PseudonymTable();
  readonly identities = new IdentitySet(this.table);
  readonly redactor: Redactor;
  readonly engine: ByteEngine;
  /** Text files' and dumps' spans from the discovery pass, for their redaction pass (see ScanCache). */
  readonly scanCache: ScanCache;
  private readonly files: { key: string; treatment: FileTreatment; counter: HitCounter }[] = [];
  private readonly labels = new Map<string, string>();

  constructor(readonly opts: SessionOptions) {
    this.redactor = new Redactor(opts.rules, this.identities);
    this.engine = new ByteEngine(opts.rules, this.identities);
    this.scanCache = new ScanCache(this.engine);
    for (const l of opts.local ?? []) this.identities.add(l.category, l.value, `local:${l.learnedFrom}`);
    for (const w of opts.extraWords ?? []) this.identities.add('word', w, 'local:your "always redact" words');
  }

  readonly tokenOf = (s: Span, learnedFrom: string): string => this.redactor.tokenOf(s, learnedFrom);

  /** Names a source key in the report (called once the file's bundle name is known). */
  label(key: string, name: string): void {
    this.labels.set(key, name);
  }

  counter(key: string, treatment: FileTreatment): HitCounter {
    const have = this.files.find((f) => f.key === key);
    if (have) return have.counter;
    const c = new HitCounter();
    this.files.push({ key, treatment, counter: c });
    return c;
  }

  /** Redacts a short string (incident title, file name, Markdown) with every rule. */
  redactString(text: string, key: string, treatment: FileTreatment = 'generated'): string {
    return this.redactor.redact(text, this.counter(key, treatment), { learnedFrom: key });
  }

  private describeSource(key: string): string {
    if (key.startsWith('local:')) return key.slice('local:'.length);
    return this.labels.get(key) ?? 'a file of this incident';
  }

  report(notes: string[] = []): RedactionReport {
    const totals = new Map<string, number>();
    for (const f of this.files) for (const [k, v] of f.counter.hits) totals.set(k, (totals.get(k) ?? 0) + v);
    const rules: RedactionReport['rules'] = [];
    for (const [id, hits] of [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      if (id.startsWith(IDENTITY_RULE_PREFIX)) {
        const category = id.slice(IDENTITY_RULE_PREFIX.length) as RedactionCategory;
        rules.push({ id, description: IDENTITY_DESCRIPTIONS[category] ?? id, category, hits });
        continue;
      }
      const r = this.opts.rules.rules.find((x) => x.id === id);
      if (r) rules.push({ id, description: r.description, category: r.category, hits });
    }
    const files = this.files
      .filter((f) => this.labels.has(f.key))
      .map((f) => ({
        name: this.labels.get(f.key)!,
        treatment: f.treatment,
        hits: f.counter.toRecord(),
        total: f.counter.total,
      }));
    return {
      version: 1,
      ruleSets: [...this.opts.rules.names, ...(this.opts.extraWords?.length ? ['user-words'] : [])],
      totalHits: files.reduce((t, f) => t + f.total, 0),
      rules,
      files,
      pseudonyms: this.table.all().map((i) => ({
        token: i.token,
        category: i.category,
        learnedFrom: this.describeSource(i.learnedFrom),
      })),
      notes,
    };
  }
}
