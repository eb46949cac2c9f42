import type { IncidentKind } from '../../shared/domain/incident';
import type { GameFamily } from '../../shared/domain/game';
import type { HealthCounts, TrendsIndex, TrendsScope } from '../../shared/domain/trends-index';
import { statement, type ReadableDB } from './db';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Kinds the health score counts (manual captures are a tester's choice, not a symptom). */
const COUNTED = JSON.stringify(['crash', 'hang'] satisfies IncidentKind[]);

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/**
 * The incidents trends count: the player's own (an imported bundle is someone else's crash),
 * of one game when @game is set. Binds @game.
 */
const OWN = "source <> 'bundle' AND (@game IS NULL OR game = @game)";
const game = (s?: TrendsScope) => s?.game ?? null;

/**
 * The trends queries (see TrendsIndex). Every query is one pass over a covering index
 * (migrations.ts, steps 4 and 6): grouped range scans of `captured_ms`, the signature index
 * and module_participation, which carry source and game.
 */
export function trendsIndex(db: ReadableDB): TrendsIndex {
  const sql = (text: string) => statement(db, text);
  return {
    firstCapturedMs(scope) {
      const r = sql(`SELECT min(captured_ms) AS m FROM incidents WHERE ${OWN}`).get({
        game: game(scope),
      }) as Row;
      return r.m === null ? null : num(r.m);
    },

    countsByPeriod(r) {
      const { first, step, from, to } = r;
      return (
        sql(
          `SELECT CAST((captured_ms - @first) / @step AS INTEGER) AS p, kind, count(*) AS n FROM incidents
           WHERE captured_ms >= @from AND captured_ms < @to AND ${OWN} GROUP BY p, kind`,
        ).all({ first, step, from, to, game: game(r) }) as Row[]
      ).map((r) => ({ period: num(r.p), kind: r.kind as IncidentKind, n: num(r.n) }));
    },

    signatureStats(r) {
      const { from, to, weekAgo, now } = r;
      return (
        sql(
          `SELECT signature, count(*) AS total, min(captured_ms) AS firstMs, max(captured_ms) AS lastMs,
                  sum(captured_ms >= @from AND captured_ms < @to) AS inRange,
                  sum(captured_ms >= @weekAgo AND captured_ms <= @now) AS lastWeek
           FROM incidents WHERE signature IS NOT NULL AND ${OWN} GROUP BY signature`,
        ).all({ from, to, weekAgo, now, game: game(r) }) as Row[]
      ).map((r) => ({
        signature: r.signature as string,
        total: num(r.total),
        firstMs: num(r.firstMs),
        lastMs: num(r.lastMs),
        inRange: num(r.inRange),
        lastWeek: num(r.lastWeek),
      }));
    },

    newestOfSignature(signature, scope) {
      const r = sql(
        `SELECT title, kind FROM incidents WHERE signature = @signature AND ${OWN} ORDER BY captured_ms DESC, id LIMIT 1`,
      ).get({ signature, game: game(scope) }) as Row | undefined;
      return r ? { title: r.title as string, kind: r.kind as IncidentKind } : null;
    },

    signatureCountsByPeriod(r, signatures) {
      if (signatures.length === 0) return [];
      const { first, step, from, to } = r;
      return (
        sql(
          `SELECT signature, CAST((captured_ms - @first) / @step AS INTEGER) AS p, count(*) AS n FROM incidents
           WHERE signature IN (SELECT value FROM json_each(@sigs)) AND captured_ms >= @from AND captured_ms < @to
             AND ${OWN}
           GROUP BY signature, p`,
        ).all({ first, step, from, to, game: game(r), sigs: JSON.stringify(signatures) }) as Row[]
      ).map((r) => ({ signature: r.signature as string, period: num(r.p), n: num(r.n) }));
    },

    moduleParticipation(r, limit) {
      // The module index is already in module order: one pass, no sort, whatever the range.
      return (
        sql(
          `SELECT module, sum(faulting) AS faulting, count(*) AS total
           FROM module_participation INDEXED BY module_participation_module
           WHERE captured_ms >= @from AND captured_ms < @to AND kind IN ('crash', 'hang') AND ${OWN}
           GROUP BY module ORDER BY faulting DESC, total DESC, module LIMIT @limit`,
        ).all({ from: r.from, to: r.to, game: game(r), limit }) as Row[]
      ).map((r) => ({ module: r.module as string, faulting: num(r.faulting), total: num(r.total) }));
    },

    gameSplit(r) {
      return (
        sql(
          `SELECT game, source = 'bundle' AS imported, count(*) AS n FROM incidents
           WHERE captured_ms >= @from AND captured_ms < @to AND kind IN ('crash', 'hang')
           GROUP BY 1, 2`,
        ).all({ from: r.from, to: r.to }) as Row[]
      ).map((x) => ({
        game: (x.game as GameFamily | null) ?? null,
        imported: num(x.imported) === 1,
        n: num(x.n),
      }));
    },

    healthCounts(nowMs, scope): HealthCounts {
      const g = game(scope);
      const w = sql(
        `SELECT sum(kind = 'crash' AND captured_ms > @d7) AS crashes7,
                sum(kind = 'hang' AND captured_ms > @d7) AS hangs7,
                sum(captured_ms > @d14 AND captured_ms <= @d7) AS previous7,
                count(*) AS recent30
         FROM incidents WHERE kind IN (SELECT value FROM json_each(@kinds)) AND captured_ms > @d30 AND captured_ms <= @now
           AND ${OWN}`,
      ).get({
        d7: nowMs - WEEK,
        d14: nowMs - 2 * WEEK,
        d30: nowMs - 30 * DAY,
        now: nowMs,
        kinds: COUNTED,
        game: g,
      }) as Row;
      const rep = sql(
        `SELECT coalesce(sum(n), 0) AS repeating FROM (
           SELECT count(*) AS n FROM incidents
           WHERE kind IN (SELECT value FROM json_each(@kinds)) AND captured_ms > @d30 AND captured_ms <= @now
             AND signature IS NOT NULL AND ${OWN}
           GROUP BY signature HAVING count(*) >= 2)`,
      ).get({ d30: nowMs - 30 * DAY, now: nowMs, kinds: COUNTED, game: g }) as Row;
      const last = sql(
        `SELECT max(captured_ms) AS m FROM incidents
         WHERE kind IN (SELECT value FROM json_each(@kinds)) AND captured_ms <= @now AND ${OWN}`,
      ).get({ now: nowMs, kinds: COUNTED, game: g }) as Row;
      return {
        crashes7: num(w.crashes7),
        hangs7: num(w.hangs7),
        previous7: num(w.previous7),
        recent30: num(w.recent30),
        repeating30: num(rep.repeating),
        lastMs: last.m === null ? null : num(last.m),
      };
    },
  };
}
