import { cached } from '../common/block-cache';
import type { ByteSource } from '../common/byte-source';
import { ParseError } from '../common/parse-error';
import { readContext } from './context';
import * as st from './streams';
import type { MdException, MdModule, MdSystemInfo, MdThread } from './streams';

export type { MdException, MdModule, MdSystemInfo, MdThread };

/** Stream type ids from minidumpapiset.h / Breakpad's minidump_format.h. */
export enum StreamType {
  Unused = 0,
  ThreadList = 3,
  ModuleList = 4,
  MemoryList = 5,
  Exception = 6,
  SystemInfo = 7,
  ThreadExList = 8,
  Memory64List = 9,
  CommentA = 10,
  CommentW = 11,
  HandleData = 12,
  FunctionTable = 13,
  UnloadedModuleList = 14,
  MiscInfo = 15,
  MemoryInfoList = 16,
  ThreadInfoList = 17,
  HandleOperationList = 18,
  Token = 19,
  JavaScriptData = 20,
  SystemMemoryInfo = 21,
  ProcessVmCounters = 22,
  ThreadNameList = 24,
  BreakpadInfo = 0x47670001,
  AssertionInfo = 0x47670002,
  CrashpadInfo = 0x43500001,
}

/** Breakpad's names for the stream types, so listings can be compared with minidump_dump. */
export const STREAM_NAMES: Readonly<Record<number, string>> = {
  [StreamType.Unused]: 'MD_UNUSED_STREAM',
  [StreamType.ThreadList]: 'MD_THREAD_LIST_STREAM',
  [StreamType.ModuleList]: 'MD_MODULE_LIST_STREAM',
  [StreamType.MemoryList]: 'MD_MEMORY_LIST_STREAM',
  [StreamType.Exception]: 'MD_EXCEPTION_STREAM',
  [StreamType.SystemInfo]: 'MD_SYSTEM_INFO_STREAM',
  [StreamType.ThreadExList]: 'MD_THREAD_EX_LIST_STREAM',
  [StreamType.Memory64List]: 'MD_MEMORY_64_LIST_STREAM',
  [StreamType.CommentA]: 'MD_COMMENT_STREAM_A',
  [StreamType.CommentW]: 'MD_COMMENT_STREAM_W',
  [StreamType.HandleData]: 'MD_HANDLE_DATA_STREAM',
  [StreamType.FunctionTable]: 'MD_FUNCTION_TABLE_STREAM',
  [StreamType.UnloadedModuleList]: 'MD_UNLOADED_MODULE_LIST_STREAM',
  [StreamType.MiscInfo]: 'MD_MISC_INFO_STREAM',
  [StreamType.MemoryInfoList]: 'MD_MEMORY_INFO_LIST_STREAM',
  [StreamType.ThreadInfoList]: 'MD_THREAD_INFO_LIST_STREAM',
  [StreamType.HandleOperationList]: 'MD_HANDLE_OPERATION_LIST_STREAM',
  [StreamType.Token]: 'MD_TOKEN_STREAM',
  [StreamType.JavaScriptData]: 'MD_JAVASCRIPT_DATA_STREAM',
  [StreamType.SystemMemoryInfo]: 'MD_SYSTEM_MEMORY_INFO_STREAM',
  [StreamType.ProcessVmCounters]: 'MD_PROCESS_VM_COUNTERS_STREAM',
  [StreamType.ThreadNameList]: 'MD_THREAD_NAME_LIST_STREAM',
  [StreamType.BreakpadInfo]: 'MD_BREAKPAD_INFO_STREAM',
  [StreamType.AssertionInfo]: 'MD_ASSERTION_INFO_STREAM',
  [StreamType.CrashpadInfo]: 'MD_CRASHPAD_INFO_STREAM',
};

export interface StreamEntry {
  type: number;
  name: string;
  offset: number;
  size: number;
}
export interface MinidumpProblem {
  stream: string;
  offset: number;
  code: string;
  message: string;
}
export interface Minidump {
  version: number;
  streamCount: number;
  timestamp: number;
  flags: bigint;
  streams: StreamEntry[];
  exception?: MdException;
  threads: MdThread[];
  modules: MdModule[];
  system?: MdSystemInfo;
  unloadedModules: st.MdUnloadedModule[];
  /** MemoryList and Memory64List ranges together, sorted by address. */
  memory: st.MdMemoryRange[];
  misc?: st.MdMiscInfo;
  threadInfo: st.MdThreadInfo[];
  handles: st.MdHandle[];
  memoryInfo: st.MdMemoryInfo[];
  comments: string[];
  breakpad?: st.MdBreakpadInfo;
  crashpad?: st.MdCrashpadInfo;
  problems: MinidumpProblem[];
}

const MDMP = 0x504d444d;
/** Directories far beyond any real dump are corruption; a cap keeps a fuzzed count from spinning. */
const MAX_STREAMS = 4096;

interface StreamContext {
  src: ByteSource;
  md: Minidump;
  threadNames: Map<number, string>;
  record: (e: unknown, stream: string, fallback: number) => void;
}
type StreamReader = (c: StreamContext, s: StreamEntry) => void;

/** What each known stream contributes to the Minidump; streams without an entry are listed only. */
const STREAM_READERS: Partial<Record<StreamType, StreamReader>> = {
  [StreamType.ThreadList]: (c, s) => {
    st.readThreadList(c.src, s, c.md.threads);
  },
  [StreamType.ModuleList]: (c, s) => {
    st.readModuleList(c.src, s, (e, field) => c.record(e, field, s.offset), c.md.modules);
  },
  [StreamType.Exception]: (c, s) => {
    c.md.exception = st.readException(c.src, s);
  },
  [StreamType.SystemInfo]: (c, s) => {
    c.md.system = st.readSystemInfo(c.src, s);
  },
  [StreamType.ThreadNameList]: (c, s) => {
    st.readThreadNames(c.src, s, c.threadNames);
  },
  [StreamType.UnloadedModuleList]: (c, s) => {
    c.md.unloadedModules = st.readUnloadedModules(c.src, s);
  },
  [StreamType.MemoryList]: (c, s) => {
    c.md.memory.push(...st.readMemoryList(c.src, s, (e) => c.record(e, s.name, s.offset)));
  },
  [StreamType.Memory64List]: (c, s) => {
    c.md.memory.push(...st.readMemory64List(c.src, s, (e) => c.record(e, s.name, s.offset)));
  },
  [StreamType.MiscInfo]: (c, s) => {
    c.md.misc = st.readMiscInfo(c.src, s);
  },
  [StreamType.ThreadInfoList]: (c, s) => {
    c.md.threadInfo = st.readThreadInfoList(c.src, s);
  },
  [StreamType.HandleData]: (c, s) => {
    c.md.handles = st.readHandleData(c.src, s);
  },
  [StreamType.MemoryInfoList]: (c, s) => {
    c.md.memoryInfo = st.readMemoryInfoList(c.src, s);
  },
  [StreamType.CommentA]: (c, s) => {
    c.md.comments.push(st.readComment(c.src, s, false));
  },
  [StreamType.CommentW]: (c, s) => {
    c.md.comments.push(st.readComment(c.src, s, true));
  },
  [StreamType.BreakpadInfo]: (c, s) => {
    c.md.breakpad = st.readBreakpadInfo(c.src, s);
  },
  [StreamType.CrashpadInfo]: (c, s) => {
    c.md.crashpad = st.readCrashpadInfo(c.src, s);
  },
};

/**
 * Header and directory errors are fatal; a broken stream becomes a problem and the rest still
 * parses. Reads go through a block cache so the scattered small reads (names, CodeView records,
 * contexts) fetch each part of the file once.
 */
export function readMinidump(input: ByteSource): Minidump {
  const src = cached(input);
  const h = src.read(0, 32, 'header');
  if (h.readUInt32LE(0) !== MDMP) {
    throw new ParseError('not a minidump (missing MDMP signature)', {
      file: src.name,
      field: 'header',
      offset: 0,
      code: 'bad_magic',
    });
  }
  const streamCount = h.readUInt32LE(8);
  const dirRva = h.readUInt32LE(12);
  if (streamCount > MAX_STREAMS) {
    throw new ParseError(`stream count ${streamCount} too large`, {
      file: src.name,
      field: 'directory',
      offset: 8,
      code: 'bad_count',
    });
  }
  const dir = src.read(dirRva, streamCount * 12, 'directory');
  const md: Minidump = {
    version: h.readUInt16LE(4),
    streamCount,
    timestamp: h.readUInt32LE(20),
    flags: h.readBigUInt64LE(24),
    streams: [],
    threads: [],
    modules: [],
    unloadedModules: [],
    memory: [],
    threadInfo: [],
    handles: [],
    memoryInfo: [],
    comments: [],
    problems: [],
  };
  const record = (e: unknown, stream: string, fallback: number): void => {
    if (!(e instanceof ParseError)) throw e;
    md.problems.push({
      stream,
      offset: e.detail.offset ?? fallback,
      code: e.detail.code ?? 'parse_error',
      message: e.message,
    });
  };
  for (let i = 0; i < streamCount; i++) {
    const type = dir.readUInt32LE(i * 12);
    md.streams.push({
      type,
      name: STREAM_NAMES[type] ?? `UNKNOWN_STREAM_0x${type.toString(16)}`,
      size: dir.readUInt32LE(i * 12 + 4),
      offset: dir.readUInt32LE(i * 12 + 8),
    });
  }
  const ctx: StreamContext = { src, md, threadNames: new Map(), record };
  for (const s of md.streams) {
    try {
      if (s.offset + s.size > src.size) {
        throw new ParseError(
          `stream range ${s.offset}+${s.size} is past the end of the file (${src.size} bytes)`,
          {
            file: src.name,
            field: s.name,
            offset: s.offset,
            code: 'out_of_bounds',
          },
        );
      }
      STREAM_READERS[s.type as StreamType]?.(ctx, s);
    } catch (e) {
      record(e, s.name, s.offset);
    }
  }
  md.memory.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const arch = md.system?.arch;
  for (const t of md.threads) {
    if (t.contextSize === 0) continue;
    try {
      t.context = readContext(src, t.contextRva, t.contextSize, arch, `thread[${t.index}].context`);
    } catch (e) {
      record(e, `MD_THREAD_LIST_STREAM[${t.index}].context`, t.contextRva);
    }
  }
  if (md.exception && md.exception.contextSize > 0) {
    try {
      md.exception.context = readContext(
        src,
        md.exception.contextRva,
        md.exception.contextSize,
        arch,
        'exception.context',
      );
    } catch (e) {
      record(e, 'MD_EXCEPTION_STREAM.context', md.exception.contextRva);
    }
  }
  for (const t of md.threads) {
    const n = ctx.threadNames.get(t.id);
    if (n !== undefined) t.name = n;
  }
  return md;
}

/** Bytes of any stream (e.g. an unknown or user stream), bounded so a UI can page through it. */
export function readStreamPayload(src: ByteSource, s: StreamEntry, offset = 0, length = 4096): Buffer {
  const start = Math.max(0, Math.min(offset, s.size));
  const len = Math.max(0, Math.min(length, s.size - start, 1024 * 1024));
  return src.read(s.offset + start, len, s.name);
}
