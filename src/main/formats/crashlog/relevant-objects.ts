import type { RelevantObject } from '../../../shared/domain/crashlog';
import { head, indentWidth } from './common';

/**
 * Game objects the loggers print next to registers and stack slots (Crash Logger, Buffout 4,
 * Trainwreck: indented "File: / FormID: / Name:" blocks) or in one line (NetScriptFramework:
 * "TESObjectREFR(FormId: 1C6E7915, File: `A.esp <- B.esp`, BaseForm: …)").
 */

const MAX_OBJECT_TEXT = 2000;
/** File names worth showing when a logger prints a string pointer ("(char*) "meshes\x.nif""). */
const FILE_LIKE =
  /\.(nif|dds|esp|esm|esl|bsa|ba2|hkx|pex|psc|swf|json|dll|tri|bgsm|bgem|wav|xwm|fuz|seq|btr|bto|strings|dlstrings|ilstrings)$/i;

function unquote(v: string): string {
  const t = v.trim();
  const m = /^"(.*)"$/.exec(t) ?? /^`(.*)`$/.exec(t);
  return m ? (m[1] ?? '') : t;
}

function normFormId(v: string): string | null {
  const m = /(?:0x)?([0-9A-Fa-f]{1,8})\b/.exec(v);
  return m ? (m[1] ?? '').toUpperCase().padStart(8, '0') : null;
}

interface Block {
  where: string;
  type: string | null;
  lines: string[];
  fields: Map<string, string[]>;
}

function toObject(b: Block): RelevantObject | null {
  const get = (...keys: string[]) => {
    for (const k of keys) {
      const v = b.fields.get(k)?.[0];
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const fileRaw = get('file');
  const file = fileRaw !== undefined ? unquote(fileRaw) || null : null;
  const modified = get('modified by');
  const files = modified
    ? modified
        .split('->')
        .map((x) => x.trim())
        .filter(Boolean)
    : file
      ? [file]
      : [];
  const nameRaw = get('name', 'full name');
  const name = nameRaw !== undefined ? unquote(nameRaw) || null : null;
  const edid = get('editorid', 'editor id');
  const formRaw = get('formid', 'form id');
  const formType = get('formtype', 'form type');
  const rtti = get('rttiname');
  // "FormType: Cell (60)" names the type; older Buffout 4 prints only the number ("Form Type: 98").
  const namedType =
    formType && !/^\d+$/.test(formType.trim()) ? formType.replace(/\s*\(\d+\)\s*$/, '') : null;
  const type =
    (rtti ? unquote(rtti) : null) ?? namedType ?? b.type ?? (formType ? `FormType ${formType.trim()}` : null);
  const obj: RelevantObject = {
    where: b.where,
    type: type || null,
    name,
    editorId: edid !== undefined ? unquote(edid) || null : null,
    formId: formRaw !== undefined ? normFormId(formRaw) : null,
    file,
    files,
    text: b.lines.join('\n').slice(0, MAX_OBJECT_TEXT),
  };
  return obj.file || obj.formId || obj.name || obj.editorId ? obj : null;
}

/**
 * The indented blocks under one register or stack slot. A key with no value ("Object
 * Reference:", "ParentCell: ---") opens a nested block for the deeper lines that follow.
 */
export function objectsFromDetails(
  where: string,
  annotation: string | null,
  details: readonly string[],
  out: RelevantObject[],
  cap: number,
): void {
  if (annotation) {
    inlineObject(where, annotation, out, cap);
    // Every match holds "char*)": a plain search first (a Buffout 4 log has ~500 slots).
    const str = annotation.includes('char*)')
      ? /\((?:const\s+)?char\*\)\s+"(.*)"\s*$/.exec(head(annotation))
      : null;
    const path = str?.[1]?.trim();
    if (path && FILE_LIKE.test(path) && out.length < cap)
      out.push({
        where,
        type: 'string',
        name: path,
        editorId: null,
        formId: null,
        file: null,
        files: [],
        text: path,
      });
  }
  if (details.length === 0) return;
  const pointerType = annotation ? (/^\(([A-Za-z_][\w:]*)\*+\)/.exec(annotation)?.[1] ?? null) : null;
  const stack: { block: Block; indent: number }[] = [];
  const root: Block = { where, type: pointerType, lines: [], fields: new Map() };
  stack.push({ block: root, indent: -1 });
  const emitted: Block[] = [root];
  for (const raw of details) {
    const line = head(raw);
    const t = line.trim();
    if (!t) continue;
    const ind = indentWidth(line);
    while (stack.length > 1 && ind <= (stack[stack.length - 1]?.indent ?? -1)) stack.pop();
    const cur = stack[stack.length - 1]!.block;
    cur.lines.push(t);
    const kv = /^([A-Za-z][A-Za-z ]{0,40}?):\s*(.*)$/.exec(t);
    if (!kv) continue;
    const key = (kv[1] ?? '').toLowerCase();
    const value = (kv[2] ?? '').trim();
    if (value === '' || /^-+$/.test(value)) {
      const child: Block = { where: `${cur.where} > ${kv[1]}`, type: null, lines: [], fields: new Map() };
      stack.push({ block: child, indent: ind });
      emitted.push(child);
      continue;
    }
    const list = cur.fields.get(key);
    if (list) list.push(value);
    else cur.fields.set(key, [value]);
  }
  for (const b of emitted) {
    if (out.length >= cap) return;
    const o = toObject(b);
    if (o) out.push(o);
  }
}

/** Fields of the top-level object only: nested BaseForm/Owner/Node values come after these markers. */
function topLevel(s: string): string {
  const cut = /,\s*(?:BaseForm|Owner|Node|Parent|Target):/.exec(s);
  return cut ? s.slice(0, cut.index) : s;
}

/** What a one-line object always shows (NSF's own list aside). */
const OBJECT_MARKER = /(FormId:|File: `|Name: )/;

/**
 * NSF-style one-line object, e.g. "BSFadeNode(Name: `skeleton.nif`, Owner: `Character(…)`)"
 * or "(Actor*) -> (FormId: FF0022D7, BaseForm: TESNPC(Name: `Wraith of Sithis`, …))".
 */
export function inlineObject(
  where: string,
  text: string,
  out: RelevantObject[],
  cap: number,
  /** NSF's own object list: keep an entry that names only a type ("NiCamera(Name: null)"). */
  keepBare = false,
): void {
  const h = head(text);
  // The trimmed head is part of the head: without these markers in it there is no object (and
  // no trimmed copy is made, once per register and stack slot).
  if (out.length >= cap || (!keepBare && !OBJECT_MARKER.test(h))) return;
  const t = h.trim();
  if (!keepBare && !OBJECT_MARKER.test(t)) return;
  const typed = /^(?:\([^)]*\)\s*->\s*)?([A-Za-z_][\w:]*)?\(/.exec(t);
  const pointer = /^\(([A-Za-z_][\w:]*)\*+\)/.exec(t)?.[1] ?? null;
  const type = typed?.[1] ?? pointer;
  const top = topLevel(t);
  const pick = (re: RegExp) => re.exec(top)?.[1] ?? re.exec(t)?.[1] ?? null;
  const fileRaw = pick(/File: `([^`]*)`/) ?? pick(/File: ([^,()`]+)/);
  const files = fileRaw
    ? fileRaw
        .split('<-')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
  const quoted = /Name: `([^`]*)`/.exec(top)?.[1] ?? null;
  const bareName = /Name: ([^,()`\s]+)(?:\s+`([^`]*)`)?/.exec(top);
  const formId = pick(/FormId: ([0-9A-Fa-f]{8})/);
  const name = quoted ?? bareName?.[2] ?? null;
  const editorId = bareName?.[1] && bareName[1] !== 'null' ? bareName[1] : null;
  if (!keepBare && !files.length && !formId && !name && !editorId) return;
  out.push({
    where,
    type: type ?? null,
    name: name && name !== 'null' ? name : null,
    editorId,
    formId: formId ? formId.toUpperCase() : null,
    file: files[0] ?? null,
    files,
    text: t.slice(0, MAX_OBJECT_TEXT),
  });
}
