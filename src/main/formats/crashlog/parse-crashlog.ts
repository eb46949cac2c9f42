import iconv from 'iconv-lite';

export type CrashLogger = 'buffout4' | 'crashlogger' | 'netscriptframework' | 'trainwreck' | 'unknown';

export interface CrashFrame {
  index: number;
  module?: string;
  offset?: string;
  text: string;
}

export interface ParsedCrashLog {
  logger: CrashLogger;
  loggerVersion?: string;
  game?: string;
  gameVersion?: string;
  exception?: { name?: string; address?: string; module?: string; offset?: string };
  callStack: CrashFrame[];
  registers: { name: string; value: string; annotation?: string }[];
  modules: { name: string; version?: string }[];
  plugins: { index?: string; name: string; light: boolean }[];
  sections: Record<string, string[]>;
  problems: string[];
}

/** Decodes by BOM, then UTF-8; invalid UTF-8 falls back to CP1251 since Russian paths were the commonest case. */
export function decodeLog(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf16be');
  const text = buf.toString('utf8');
  return text.includes('\uFFFD') ? iconv.decode(buf, 'cp1251') : text.replace(/^\uFEFF/, '');
}

function sniff(head: string): CrashLogger {
  if (/^Buffout 4 v/m.test(head)) return 'buffout4';
  if (/^CrashLogger\w* v/im.test(head)) return 'crashlogger';
  if (/Trainwreck/i.test(head)) return 'trainwreck';
  if (/NetScriptFramework|Unhandled native exception/.test(head)) return 'netscriptframework';
  return 'unknown';
}

const EXC_RE =
  /Unhandled (?:native )?exception\s+(?:"([^"]+)"\s+)?(?:occurred )?at (0x[0-9A-F]+)(?:\s*\(?([^\s+()]+)\+([0-9A-F]+))?/i;

export function parseCrashLog(input: string | Buffer, name = 'crash log'): ParsedCrashLog {
  const text = typeof input === 'string' ? input : decodeLog(input);
  const lines = text.split(/\r\n|\r|\n/);
  const head = lines.slice(0, 20).join('\n').slice(0, 20000);
  const out: ParsedCrashLog = {
    logger: sniff(head),
    callStack: [],
    registers: [],
    modules: [],
    plugins: [],
    sections: {},
    problems: [],
  };
  if (out.logger === 'unknown') out.problems.push(`${name}: unrecognised crash logger`);
  const gv = /^(Fallout 4( VR)?|Skyrim (?:SSE|VR|AE)[^\n]*?) v([\d.]+)/m.exec(head);
  if (gv) {
    out.game = gv[1];
    out.gameVersion = gv[3];
  }
  const lv = /^(?:Buffout 4|CrashLogger\w*|Trainwreck) v([\w.-]+)/im.exec(head);
  if (lv) out.loggerVersion = lv[1];
  const nsfVer = /^FrameworkVersion:\s*(\S+)/m.exec(text.slice(0, 5000));
  if (nsfVer && !out.loggerVersion) out.loggerVersion = nsfVer[1];
  const nsfApp = /^ApplicationVersion:\s*(\S+)/m.exec(text.slice(0, 5000));
  if (nsfApp && !out.gameVersion) out.gameVersion = nsfApp[1];
  const ex = EXC_RE.exec(head);
  if (ex) {
    out.exception = { name: ex[1], address: ex[2], module: ex[3], offset: ex[4] };
    // JIT/unmapped addresses carry no module; say so rather than guess one.
    if (!ex[3]) out.problems.push('faulting address is outside every loaded module');
  } else out.problems.push('no exception line found');

  let section = '';
  for (const raw of lines) {
    const line = raw.length > 100_000 ? raw.slice(0, 100_000) : raw;
    // NSF writes "Probable callstack" / "Game plugins (81)" then a brace block; others end headers with ':' or use [brackets].
    const hdr =
      /^\s*([A-Z][A-Za-z0-9 /()]+?)\s*:\s*$/.exec(line) ??
      /^\s*\[([^\]]+)\]\s*$/.exec(line) ??
      /^([A-Z][A-Za-z ]+?)(?: \(\d+\))?$/.exec(line);
    if (hdr && !/^\s/.test(line)) {
      section = (hdr[1] ?? '').toUpperCase();
      out.sections[section] ??= [];
      continue;
    }
    if (!section || !line.trim() || /^\s*[{}]\s*$/.test(line)) continue;
    out.sections[section]?.push(line);
    const t = line.trim();
    if (/CALL ?STACK/.test(section)) {
      const m = /^\[\s*(\d+)\]\s+0x[0-9A-F]+\s+\(?([^\s+()]+)\+([0-9A-F]+)\)?\s*(.*)$/i.exec(t);
      if (m)
        out.callStack.push({
          index: Number(m[1] ?? ''),
          module: m[2] ?? '',
          offset: m[3] ?? '',
          text: m[4] ?? '',
        });
      else {
        const n =
          /^\(\S+\)\s*([^\s+]+)\+([0-9A-F]+)/i.exec(t) ??
          /^0x[0-9A-F]+\s+\(([^\s+]+)\+([0-9A-F]+)\)/i.exec(t);
        if (n)
          out.callStack.push({
            index: out.callStack.length,
            module: n[1] ?? '',
            offset: n[2] ?? '',
            text: t,
          });
      }
    } else if (section === 'REGISTERS') {
      const m = /^([A-Z0-9]{2,5})\s+(0x[0-9A-F]+)\s*(.*)$/i.exec(t);
      if (m)
        out.registers.push({ name: m[1] ?? '', value: m[2] ?? '', annotation: (m[3] ?? '') || undefined });
    } else if (section === 'MODULES') {
      const m = /^(\S+\.(?:dll|exe))\b/i.exec(t);
      if (m) out.modules.push({ name: m[1] ?? '' });
    } else if (/PLUGINS/.test(section) && !/F4SE|SKSE/.test(section)) {
      const m = /^\[([0-9A-F]{2}(?::[0-9A-F]{3})?)\]\s+(.+)$/i.exec(t);
      if (m) out.plugins.push({ index: m[1] ?? '', name: m[2] ?? '', light: (m[1] ?? '').startsWith('FE') });
    } else if (/F4SE PLUGINS|SKSE PLUGINS/.test(section)) {
      const m = /^(\S+\.dll)\s*(v[\w.]+)?/i.exec(t);
      if (m) out.modules.push({ name: m[1] ?? '', version: m[2] ?? '' });
    }
  }
  if (out.logger !== 'unknown' && out.callStack.length === 0)
    out.problems.push('no call stack frames found (truncated?)');
  return out;
}
