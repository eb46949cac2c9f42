/**
 * Numbers from the public ETW headers (evntcons.h, evntrace.h, ntwmi.h as documented by
 * Microsoft and Geoff Chappell's notes). Kept in one place so the reader, the writer used by
 * the tests and the analysis agree on them.
 */

/** WMI_BUFFER_HEADER is 0x48 bytes; events start right after it. */
export const BUFFER_HEADER_SIZE = 0x48;

/** Byte 2 of every record: which header layout follows. */
export const HeaderType = {
  System32: 0x01,
  System64: 0x02,
  Compact32: 0x03,
  Compact64: 0x04,
  FullHeader32: 0x0a,
  Instance32: 0x0b,
  Timed: 0x0c,
  Error: 0x0d,
  WnodeHeader: 0x0e,
  Message: 0x0f,
  PerfInfo32: 0x10,
  PerfInfo64: 0x11,
  EventHeader32: 0x12,
  EventHeader64: 0x13,
  FullHeader64: 0x14,
  Instance64: 0x15,
} as const;

/** Byte 3 of every record carries TRACE_HEADER_FLAG (0x80) on anything the logger wrote. */
export const TRACE_HEADER_FLAG = 0x80;

/** ETW_BUFFER_FLAG_* in WMI_BUFFER_HEADER.BufferFlag. */
export const BufferFlag = {
  FlushMarker: 0x0001,
  EventsLost: 0x0002,
  BufferLost: 0x0004,
  RtBackupCorrupt: 0x0008,
  RtBackup: 0x0010,
  ProcIndex: 0x0020,
  Compressed: 0x0040,
} as const;

/** ETW_BUFFER_TYPE_* in WMI_BUFFER_HEADER.BufferType. */
export const BufferType = {
  Generic: 0,
  Rundown: 1,
  CtxSwap: 2,
  RefTime: 3,
  Header: 4,
  Batched: 5,
  EmptyMarker: 6,
  DbgInfo: 7,
} as const;

/** EVENT_HEADER.Flags. */
export const EventHeaderFlag = {
  ExtendedInfo: 0x0001,
  PrivateSession: 0x0002,
  StringOnly: 0x0004,
  TraceMessage: 0x0008,
  NoCpuTime: 0x0010,
  Header32Bit: 0x0020,
  Header64Bit: 0x0040,
  ClassicHeader: 0x0100,
  ProcessorIndex: 0x0200,
} as const;

/** EVENT_HEADER_EXT_TYPE_*. */
export const ExtType = {
  RelatedActivityId: 0x0001,
  Sid: 0x0002,
  TsId: 0x0003,
  InstanceInfo: 0x0004,
  StackTrace32: 0x0005,
  StackTrace64: 0x0006,
  PebsIndex: 0x0007,
  PmcCounters: 0x0008,
  PsmKey: 0x0009,
  EventKey: 0x000a,
  EventSchemaTl: 0x000b,
  ProvTraits: 0x000c,
  ProcessStartKey: 0x000d,
  ControlGuid: 0x000e,
  QpcDelta: 0x000f,
  ContainerId: 0x0010,
  StackKey32: 0x0011,
  StackKey64: 0x0012,
} as const;

export const EXT_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(ExtType).map(([k, v]) => [v, k]),
);

/** TRACE_LOGFILE_HEADER.ReservedFlags: the clock the timestamps use. */
export const ClockType = { Qpc: 1, SystemTime: 2, CpuCycle: 3 } as const;

/** EVENT_TRACE_COMPRESSED_MODE in LogFileMode (Windows 8+). */
export const LOGFILE_COMPRESSED_MODE = 0x04000000;

/** EVENT_TRACE_FILE_MODE_CIRCULAR in LogFileMode: the file keeps only the newest buffers. */
export const LOGFILE_CIRCULAR_MODE = 0x00000002;
