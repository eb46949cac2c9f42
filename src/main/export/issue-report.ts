import type { ParsedCrashLog } from '../../shared/domain/crashlog';
import type { IncidentDetail, ProbableCause } from '../../shared/domain/incident';

/**
 * "Copy as issue": Markdown for a GitHub or Nexus Mods bug report. Sections a maintainer reads
 * first (verdict, culprits, environment) are kept whole; long ones (call stack, load order,
 * modules) are shortened, saying so, to stay under GitHub's 65,536-character body limit.
 * The caller redacts the result (it is built from unredacted facts).
 */
export const GITHUB_BODY_LIMIT = 65_536;
/** Headroom for what a reporter types around the generated text. */
const TARGET = GITHUB_BODY_LIMIT - 2_000;

export interface IssueInput {
  incident: IncidentDetail;
  /** Stored analyzer facts per artifact id (store.getFacts). */
  facts: Map<number, unknown>;
  appVersion: string;
  /** Files the reporter attaches (a bundle's entries); default: the incident's artifacts. */
  attachments?: { name: string; size: number; note?: string }[];
  bundleName?: string;
  /** The incident's crash log as parsed now (issue.ts reads it): stack, versions, specs, load order. */
  crashLog?: ParsedCrashLog | null;
  /** Top frames of the dump's crashing thread, one line each, when there is no crash log. */
  dumpStack?: string[];
  /** Causes the player confirmed for this crash (bucket or culprit). */
  confirmed?: { cause: string; fix: string; fixed: boolean; confirmedAt: string }[];
}

/** Frames of the crashing stack a report shows: the top is what a maintainer reads. */
const STACK_TOP = 20;
/** Known issues listed in full; more are named only. */
const MAX_FINDINGS = 8;

/** The report's view of a freshly parsed crash log (same shape as stored facts). */
function factsOfParsedLog(p: ParsedCrashLog): CrashLogFacts {
  const sys = (re: RegExp) =>
    Object.entries(p.system)
      .find(([k]) => re.test(k))?.[1]
      ?.trim() || null;
  const nsfVersion = p.header.FrameworkVersion ? `v${p.header.FrameworkVersion}` : null;
  return {
    logger: p.logger,
    loggerVersion: p.loggerVersion ?? nsfVersion,
    game: p.game,
    gameVersion: p.gameVersion,
    frames: p.callStack.map((f) => f.text.replace(/\s+/g, ' ').trim()),
    plugins: p.gamePlugins.map((g) => (g.index ? `[${g.index}] ${g.name}` : g.name)),
    modules: p.modules.map((m) => (m.version ? `${m.name} ${m.version}` : m.name)),
    os: sys(/^OS$/i),
    cpu: sys(/^CPU$/i),
    gpu: sys(/^GPU #?1?$/i),
    memory: sys(/^PHYSICAL MEMORY$/i),
  };
}

function knownIssuesSection(findings: NonNullable<IncidentDetail['verdict']>['findings']): Section {
  const lines = ['### Known issues', ''];
  for (const f of findings.slice(0, MAX_FINDINGS)) {
    lines.push(`- **${mdCell(f.title)}** (${f.severity}): ${mdCell(f.explanation)}`);
    lines.push(`  - **Fix:** ${mdCell(f.fix)}${f.link ? ` ([more](${f.link}))` : ''}`);
    if (f.evidence[0]) lines.push(`  - Seen: ${mdCell(f.evidence[0])}`);
  }
  if (findings.length > MAX_FINDINGS)
    lines.push(
      `- Also: ${findings
        .slice(MAX_FINDINGS)
        .map((f) => mdCell(f.title))
        .join('; ')}`,
    );
  lines.push('');
  return fixed('known issues', lines.join('\n'));
}

function confirmedSection(list: NonNullable<IssueInput['confirmed']>): Section {
  const lines = ['### Confirmed before', ''];
  for (const c of list.slice(0, 3))
    lines.push(
      `- The reporter confirmed: **${mdCell(c.cause)}** (${c.confirmedAt.slice(0, 10)})${c.fix ? `. ${c.fixed ? 'The fix that worked' : 'Fix'}: ${mdCell(c.fix)}` : ''}`,
    );
  lines.push('');
  return fixed('confirmed', lines.join('\n'));
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface CrashLogFacts {
  logger: string | null;
  loggerVersion: string | null;
  game: string | null;
  gameVersion: string | null;
  frames: string[];
  plugins: string[];
  modules: string[];
  os: string | null;
  cpu: string | null;
  gpu: string | null;
  memory: string | null;
}

function crashLogFacts(f: unknown): CrashLogFacts | null {
  const c = obj(obj(f)?.crashlog);
  if (!c) return null;
  const sections = obj(c.sections) ?? {};
  const specLines = Object.entries(sections)
    .filter(([k]) => /system specs/i.test(k))
    .flatMap(([, v]) => arr(v).map((x) => String(x)));
  const spec = (re: RegExp) => {
    for (const l of specLines) {
      const m = re.exec(l);
      if (m?.[1]) return m[1].trim();
    }
    return null;
  };
  return {
    logger: str(c.logger),
    loggerVersion: str(c.loggerVersion),
    game: str(c.game),
    gameVersion: str(c.gameVersion),
    frames: arr(c.callStack)
      .map((x) => str(obj(x)?.text))
      .filter((x): x is string => !!x),
    plugins: arr(c.plugins)
      .map((x) => {
        const p = obj(x);
        const name = str(p?.name);
        if (!name) return null;
        const idx = str(p?.index);
        return idx ? `[${idx}] ${name}` : name;
      })
      .filter((x): x is string => !!x),
    modules: arr(c.modules)
      .map((x) => {
        const m = obj(x);
        const name = str(m?.name);
        const v = str(m?.version);
        return name ? (v ? `${name} ${v}` : name) : null;
      })
      .filter((x): x is string => !!x),
    os: spec(/^\s*OS:\s*(.+)$/i),
    cpu: spec(/^\s*CPU:\s*(.+)$/i),
    gpu: spec(/^\s*GPU #?1?:\s*(.+)$/i),
    memory: spec(/^\s*PHYSICAL MEMORY:\s*(.+)$/i),
  };
}

const LOGGER_NAMES: Record<string, string> = {
  buffout4: 'Buffout 4',
  crashlogger: 'Crash Logger',
  netscriptframework: 'NetScriptFramework',
  trainwreck: 'Trainwreck',
};

function fence(lines: string[]): string {
  // A line holding ``` would close the fence early; four backticks cannot appear in crash logs.
  return ['````text', ...lines.map((l) => l.replace(/````/g, "'```")), '````'].join('\n');
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

interface Section {
  title: string;
  /** Kept whole when false; shortened from the end when true. */
  shrinkable: boolean;
  render(limit: number): { text: string; shortened: boolean };
  /** Items a shrinkable section can drop. */
  size: number;
}

function listSection(title: string, intro: string, items: string[], asDetails: boolean): Section {
  return {
    title,
    shrinkable: true,
    size: items.length,
    render(limit) {
      const shown = items.slice(0, limit);
      const more = items.length - shown.length;
      const note =
        more > 0 ? [`… ${more} more not shown (shortened to fit GitHub's 65,536-character limit)`] : [];
      const body = fence([...shown, ...note]);
      const text = asDetails
        ? `### ${title}\n\n<details><summary>${intro}</summary>\n\n${body}\n\n</details>\n`
        : `### ${title}\n\n${intro ? `${intro}\n\n` : ''}${body}\n`;
      return { text, shortened: more > 0 };
    },
  };
}

function fixed(title: string, text: string): Section {
  return { title, shrinkable: false, size: 0, render: () => ({ text, shortened: false }) };
}

export function buildIssueMarkdown(input: IssueInput): { markdown: string; truncated: string[] } {
  const { incident: inc } = input;
  const v = inc.verdict;
  const logs = inc.artifacts
    .map((a) => ({ a, f: crashLogFacts(input.facts.get(a.id)) }))
    .filter((x): x is { a: (typeof inc.artifacts)[number]; f: CrashLogFacts } => !!x.f);
  const log = input.crashLog ? factsOfParsedLog(input.crashLog) : (logs[0]?.f ?? null);
  const dumpFacts = inc.artifacts
    .filter((a) => a.role === 'dump')
    .map((a) => obj(input.facts.get(a.id)))
    .find((f) => !!f);
  const summaryFacts = inc.artifacts
    .filter((a) => a.role === 'summary')
    .map((a) => obj(obj(input.facts.get(a.id))?.summary))
    .find((f) => !!f);

  const sections: Section[] = [];
  const cause = v?.probableCause ?? null;
  const head: string[] = [
    `## ${inc.kind === 'hang' ? 'Hang' : inc.kind === 'crash' ? 'Crash' : 'Incident'}: ${v?.title || inc.title}`,
    '',
    ...(cause ? causeLines(cause, v?.missing ?? []) : []),
  ];
  const facts: [string, string | null][] = [
    ['Verdict', v?.title || inc.title || null],
    ['Signature', inc.signature ? `\`${inc.signature}\`` : null],
    [
      'Exception',
      v?.exceptionName ??
        (v?.exceptionCode != null ? `0x${(v.exceptionCode >>> 0).toString(16).toUpperCase()}` : null),
    ],
    [
      'Faulting module',
      v?.faultingModule
        ? `\`${v.faultingModule}${v.faultingOffset != null ? `+0x${v.faultingOffset.toString(16)}` : ''}\``
        : null,
    ],
    ['Kind', inc.kind],
    ['Captured', inc.capturedAt.replace('T', ' ').slice(0, 19)],
    ['Source', inc.source],
    ['SkyrimDiag bucket', str(summaryFacts?.crash_bucket_key)],
  ];
  head.push(...facts.filter(([, x]) => x).map(([k, x]) => `- **${k}:** ${x}`), '');
  sections.push(fixed('head', head.join('\n')));

  const suspects = v?.suspects ?? [];
  if (suspects.length) {
    const rows = suspects
      .slice(0, 10)
      .map(
        (s, i) =>
          `| ${i + 1} | \`${mdCell(s.name)}\`${s.version ? ` v${mdCell(s.version)}` : ''}${s.mod ? ` (${mdCell(s.mod.name)})` : ''} | ${s.role ?? ''} | ${Number.isInteger(s.score) ? s.score : s.score.toFixed(2)} | ${mdCell(s.reason)} |`,
      );
    sections.push(
      fixed(
        'suspects',
        [
          '### Culprits and suspects',
          '',
          '| # | Module / plugin | Role | Score | Evidence |',
          '|---|---|---|---|---|',
          ...rows,
          '',
        ].join('\n'),
      ),
    );
  }

  if (input.confirmed?.length) sections.push(confirmedSection(input.confirmed));
  if (v?.findings.length) sections.push(knownIssuesSection(v.findings));

  const game =
    v?.game ??
    (log?.game ? `${log.game}${log.gameVersion ? ` ${log.gameVersion}` : ''}` : null) ??
    (str(summaryFacts?.game_version) ? `Skyrim ${str(summaryFacts?.game_version)}` : null);
  const env: [string, string | null][] = [
    ['Game', game],
    [
      'Crash logger',
      log?.logger
        ? `${LOGGER_NAMES[log.logger] ?? log.logger}${log.loggerVersion ? ` ${log.loggerVersion}` : ''}`
        : null,
    ],
    ['OS', log?.os ?? str(dumpFacts?.os)],
    ['CPU', log?.cpu ?? str(dumpFacts?.cpu)],
    ['GPU', log?.gpu ?? null],
    ['Memory', log?.memory ?? null],
    ['Plugins', log?.plugins.length ? `${log.plugins.length}` : null],
    ['CTD Workbench', input.appVersion],
  ];
  sections.push(
    fixed(
      'environment',
      ['### Environment', '', ...env.filter(([, x]) => x).map(([k, x]) => `- **${k}:** ${x}`), ''].join('\n'),
    ),
  );

  if (log?.frames.length)
    sections.push(
      listSection(
        'Top of the call stack',
        `From the crash log (${Math.min(STACK_TOP, log.frames.length)} of ${log.frames.length} frames):`,
        log.frames.slice(0, STACK_TOP),
        false,
      ),
    );
  else if (input.dumpStack?.length)
    sections.push(
      listSection(
        'Top of the call stack',
        "From the dump's crashing thread:",
        input.dumpStack.slice(0, STACK_TOP),
        false,
      ),
    );
  if (log?.plugins.length)
    sections.push(
      listSection(
        'Load order (excerpt)',
        `${log.plugins.length} plugins, from the crash log`,
        log.plugins,
        true,
      ),
    );
  if (log?.modules.length)
    sections.push(
      listSection('Modules', `${log.modules.length} modules, from the crash log`, log.modules, true),
    );

  const attachments =
    input.attachments ??
    inc.artifacts.map((a) => ({ name: a.name, size: a.size, note: undefined as string | undefined }));
  const att = [
    '### Attachments',
    '',
    input.bundleName
      ? `Attach \`${input.bundleName}\` (a CTD Workbench bundle; open it with CTD Workbench or any zip tool). It holds:`
      : 'Files of this incident (attach them, or export a redacted bundle with CTD Workbench):',
    '',
    ...attachments.map(
      (f) => `- \`${mdCell(f.name)}\` (${formatSize(f.size)})${f.note ? ` — ${f.note}` : ''}`,
    ),
    '',
  ];
  sections.push(listLike('attachments', att));
  sections.push(
    fixed(
      'footer',
      `---\n_Generated by CTD Workbench ${input.appVersion}. User and machine names, profile paths, account ids and secrets are replaced by stand-ins such as \`<user>\`._\n`,
    ),
  );
  return fit(sections);
}

/** The probable cause as a maintainer reads it: the sentence, the evidence, what the input lacked. */
function causeLines(cause: ProbableCause, missing: readonly string[]): string[] {
  const out = [`**${cause.headline}**`, ''];
  if (cause.evidence.length) {
    out.push('<details><summary>Evidence</summary>', '');
    for (const e of cause.evidence.slice(0, 8)) out.push(`- ${mdCell(e)}`);
    out.push('', '</details>', '');
  }
  if (missing.length) out.push(`_Incomplete input, analysed anyway: no ${missing.join('; no ')}._`, '');
  return out;
}

function listLike(title: string, lines: string[]): Section {
  return {
    title,
    shrinkable: true,
    size: Math.max(0, lines.length - 5),
    render(limit) {
      const body = lines.slice(0, 4 + limit);
      const more = lines.length - body.length - 1;
      if (more > 0) body.push(`- … ${more} more files (list shortened to fit GitHub's limit)`, '');
      return { text: body.join('\n'), shortened: more > 0 };
    },
  };
}

/** Shrinks the shrinkable sections, longest first, until the body fits. */
function fit(sections: Section[]): { markdown: string; truncated: string[] } {
  const limits = new Map(sections.map((s) => [s, s.shrinkable ? s.size : 0]));
  const render = () => sections.map((s) => s.render(limits.get(s)!));
  let parts = render();
  let total = parts.reduce((t, p) => t + p.text.length + 1, 0);
  while (total > TARGET) {
    const candidates = sections.filter((s) => s.shrinkable && limits.get(s)! > 0);
    if (candidates.length === 0) break;
    const biggest = candidates.reduce((a, b) =>
      parts[sections.indexOf(a)]!.text.length >= parts[sections.indexOf(b)]!.text.length ? a : b,
    );
    const cur = limits.get(biggest)!;
    limits.set(biggest, Math.floor(cur * 0.75));
    parts = render();
    total = parts.reduce((t, p) => t + p.text.length + 1, 0);
  }
  let markdown = parts.map((p) => p.text).join('\n');
  const truncated = sections.filter((_s, i) => parts[i]!.shortened).map((s) => s.title);
  // A single enormous fixed section (a 70k-character title?) is cut hard, visibly.
  if (markdown.length > TARGET) {
    markdown = `${markdown.slice(0, TARGET - 120)}\n\n… (cut to fit GitHub's 65,536-character limit)\n`;
    truncated.push('body');
  }
  return { markdown, truncated };
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
