import { f, type EventSchema, type FieldSpec } from '../schema';

/**
 * Classic kernel (NT Kernel Logger / SystemTraceProvider) MOF event layouts, written from the
 * public MOF class documentation (Process_V4_TypeGroup1, Thread_V3_TypeGroup1, CSwitch,
 * ReadyThread, Image_Load, SampledProfile, StackWalk_Event, DiskIo_TypeGroup1,
 * FileIo_Create/ReadWrite/Name, PageFault_HardFault). 'ptr' follows the writer's pointer size.
 */

export const KernelGroup = {
  Header: 0x00,
  DiskIo: 0x01,
  PageFault: 0x02,
  Process: 0x03,
  FileIo: 0x04,
  Thread: 0x05,
  PerfInfo: 0x0f,
  Image: 0x14,
  StackWalk: 0x18,
} as const;

export const GROUP_NAMES: Record<number, string> = {
  0x00: 'EventTrace',
  0x01: 'DiskIo',
  0x02: 'PageFault',
  0x03: 'Process',
  0x04: 'FileIo',
  0x05: 'Thread',
  0x06: 'TcpIp',
  0x07: 'Job',
  0x08: 'UdpIp',
  0x09: 'Registry',
  0x0a: 'DbgPrint',
  0x0b: 'SystemConfig',
  0x0d: 'Wnf',
  0x0e: 'Pool',
  0x0f: 'PerfInfo',
  0x10: 'Heap',
  0x11: 'Object',
  0x12: 'Power',
  0x13: 'ModBound',
  0x14: 'Image',
  0x15: 'Dpc',
  0x16: 'CacheManager',
  0x17: 'CritSec',
  0x18: 'StackWalk',
  0x19: 'Ums',
  0x1a: 'ALPC',
  0x1b: 'SplitIo',
  0x1c: 'ThreadPool',
  0x1d: 'Hypervisor',
};

/** The 32-bit wait reasons of KWAIT_REASON (CSwitch.OldThreadWaitReason). */
export const WAIT_REASONS = [
  'Executive',
  'FreePage',
  'PageIn',
  'PoolAllocation',
  'DelayExecution',
  'Suspended',
  'UserRequest',
  'WrExecutive',
  'WrFreePage',
  'WrPageIn',
  'WrPoolAllocation',
  'WrDelayExecution',
  'WrSuspended',
  'WrUserRequest',
  'WrEventPair',
  'WrQueue',
  'WrLpcReceive',
  'WrLpcReply',
  'WrVirtualMemory',
  'WrPageOut',
  'WrRendezvous',
  'WrKeyedEvent',
  'WrTerminated',
  'WrProcessInSwap',
  'WrCpuRateControl',
  'WrCalloutStack',
  'WrKernel',
  'WrResource',
  'WrPushLock',
  'WrMutex',
  'WrQuantumEnd',
  'WrDispatchInt',
  'WrPreempted',
  'WrYieldExecution',
  'WrFastMutex',
  'WrGuardedMutex',
  'WrRundown',
  'WrAlertByThreadId',
  'WrDeferredPreempt',
];
const waitReasonMap = Object.fromEntries(WAIT_REASONS.map((n, i) => [i, n]));

const ThreadState = {
  0: 'Initialized',
  1: 'Ready',
  2: 'Running',
  3: 'Standby',
  4: 'Terminated',
  5: 'Waiting',
  6: 'Transition',
  7: 'DeferredReady',
};

const processV3: FieldSpec[] = [
  f('UniqueProcessKey', 'ptr'),
  f('ProcessId', 'u32'),
  f('ParentId', 'u32'),
  f('SessionId', 'u32'),
  f('ExitStatus', 'i32'),
  f('DirectoryTableBase', 'ptr'),
  f('UserSID', 'ksid'),
  f('ImageFileName', 'astr'),
  f('CommandLine', 'wstr'),
];
const processV4: FieldSpec[] = [
  f('UniqueProcessKey', 'ptr'),
  f('ProcessId', 'u32'),
  f('ParentId', 'u32'),
  f('SessionId', 'u32'),
  f('ExitStatus', 'i32'),
  f('DirectoryTableBase', 'ptr'),
  f('Flags', 'u32'),
  f('UserSID', 'ksid'),
  f('ImageFileName', 'astr'),
  f('CommandLine', 'wstr'),
  f('PackageFullName', 'wstr'),
  f('ApplicationId', 'wstr'),
];
const threadV3: FieldSpec[] = [
  f('ProcessId', 'u32'),
  f('TThreadId', 'u32'),
  f('StackBase', 'ptr'),
  f('StackLimit', 'ptr'),
  f('UserStackBase', 'ptr'),
  f('UserStackLimit', 'ptr'),
  f('Affinity', 'ptr'),
  f('Win32StartAddr', 'ptr'),
  f('TebBase', 'ptr'),
  f('SubProcessTag', 'u32'),
  f('BasePriority', 'u8'),
  f('PagePriority', 'u8'),
  f('IoPriority', 'u8'),
  f('ThreadFlags', 'u8'),
];
const image: FieldSpec[] = [
  f('ImageBase', 'ptr'),
  f('ImageSize', 'ptr'),
  f('ProcessId', 'u32'),
  f('ImageCheckSum', 'u32'),
  f('TimeDateStamp', 'u32'),
  f('Reserved0', 'u32'),
  f('DefaultBase', 'ptr'),
  f('Reserved1', 'u32'),
  f('Reserved2', 'u32'),
  f('Reserved3', 'u32'),
  f('Reserved4', 'u32'),
  f('FileName', 'wstr'),
];
const diskIo: FieldSpec[] = [
  f('DiskNumber', 'u32'),
  f('IrpFlags', 'x32'),
  f('TransferSize', 'u32'),
  f('Reserved', 'u32'),
  f('ByteOffset', 'u64'),
  f('FileObject', 'ptr'),
  f('Irp', 'ptr'),
  f('HighResResponseTime', 'u64'),
  f('IssuingThreadId', 'u32'),
];
const fileRw: FieldSpec[] = [
  f('Offset', 'u64'),
  f('IrpPtr', 'ptr'),
  f('FileObject', 'ptr'),
  f('FileKey', 'ptr'),
  f('TTID', 'u32'),
  f('IoSize', 'u32'),
  f('IoFlags', 'x32'),
];
const fileName: FieldSpec[] = [f('FileObject', 'ptr'), f('FileName', 'wstr')];
const fileSimple: FieldSpec[] = [
  f('IrpPtr', 'ptr'),
  f('FileObject', 'ptr'),
  f('FileKey', 'ptr'),
  f('TTID', 'u32'),
];

function ev(task: string, opcode: string, fields: FieldSpec[] | Record<number, FieldSpec[]>): EventSchema {
  return { task, opcode, versions: Array.isArray(fields) ? { 0: fields } : fields };
}

/** Keyed by group * 256 + opcode (the record's HookId). */
export const KERNEL_EVENTS: Record<number, EventSchema> = {};
function add(group: number, opcode: number, schema: EventSchema): void {
  KERNEL_EVENTS[group * 256 + opcode] = schema;
}

const procVersions = { 0: processV3, 3: processV3, 4: processV4 };
add(KernelGroup.Process, 1, ev('Process', 'Start', procVersions));
add(KernelGroup.Process, 2, ev('Process', 'End', procVersions));
add(KernelGroup.Process, 3, ev('Process', 'DCStart', procVersions));
add(KernelGroup.Process, 4, ev('Process', 'DCEnd', procVersions));
add(KernelGroup.Process, 39, ev('Process', 'Defunct', procVersions));
add(KernelGroup.Thread, 1, ev('Thread', 'Start', threadV3));
add(KernelGroup.Thread, 2, ev('Thread', 'End', threadV3));
add(KernelGroup.Thread, 3, ev('Thread', 'DCStart', threadV3));
add(KernelGroup.Thread, 4, ev('Thread', 'DCEnd', threadV3));
add(
  KernelGroup.Thread,
  36,
  ev('Thread', 'CSwitch', [
    f('NewThreadId', 'u32'),
    f('OldThreadId', 'u32'),
    f('NewThreadPriority', 'i8'),
    f('OldThreadPriority', 'i8'),
    f('PreviousCState', 'u8'),
    f('SpareByte', 'i8'),
    f('OldThreadWaitReason', 'i8', { map: waitReasonMap }),
    f('OldThreadWaitMode', 'i8', { map: { 0: 'KernelMode', 1: 'UserMode' } }),
    f('OldThreadState', 'i8', { map: ThreadState }),
    f('OldThreadWaitIdealProcessor', 'i8'),
    f('NewThreadWaitTime', 'u32'),
    f('Reserved', 'u32'),
  ]),
);
add(
  KernelGroup.Thread,
  50,
  ev('Thread', 'ReadyThread', [
    f('TThreadId', 'u32'),
    f('AdjustReason', 'i8'),
    f('AdjustIncrement', 'i8'),
    f('Flag', 'i8'),
    f('Reserved', 'i8'),
  ]),
);
add(
  KernelGroup.Thread,
  72,
  ev('Thread', 'SetName', [f('ProcessId', 'u32'), f('ThreadId', 'u32'), f('ThreadName', 'wstr')]),
);
add(KernelGroup.Image, 10, ev('Image', 'Load', image));
add(KernelGroup.Image, 2, ev('Image', 'Unload', image));
add(KernelGroup.Image, 3, ev('Image', 'DCStart', image));
add(KernelGroup.Image, 4, ev('Image', 'DCEnd', image));
add(
  KernelGroup.PerfInfo,
  46,
  ev('PerfInfo', 'Sample', [
    f('InstructionPointer', 'ptr'),
    f('ThreadId', 'u32'),
    f('Count', 'u16'),
    f('Reserved', 'u16'),
  ]),
);
add(
  KernelGroup.StackWalk,
  32,
  ev('StackWalk', 'Stack', [
    f('EventTimeStamp', 'u64'),
    f('StackProcess', 'u32'),
    f('StackThread', 'u32'),
    f('Stack', 'ptr[]'),
  ]),
);
add(KernelGroup.DiskIo, 10, ev('DiskIo', 'Read', diskIo));
add(KernelGroup.DiskIo, 11, ev('DiskIo', 'Write', diskIo));
add(KernelGroup.DiskIo, 12, ev('DiskIo', 'ReadInit', [f('Irp', 'ptr'), f('IssuingThreadId', 'u32')]));
add(KernelGroup.DiskIo, 13, ev('DiskIo', 'WriteInit', [f('Irp', 'ptr'), f('IssuingThreadId', 'u32')]));
add(
  KernelGroup.DiskIo,
  14,
  ev('DiskIo', 'FlushBuffers', [
    f('DiskNumber', 'u32'),
    f('IrpFlags', 'x32'),
    f('HighResResponseTime', 'u64'),
    f('Irp', 'ptr'),
    f('IssuingThreadId', 'u32'),
  ]),
);
add(
  KernelGroup.FileIo,
  64,
  ev('FileIo', 'Create', [
    f('IrpPtr', 'ptr'),
    f('FileObject', 'ptr'),
    f('TTID', 'u32'),
    f('CreateOptions', 'x32'),
    f('FileAttributes', 'x32'),
    f('ShareAccess', 'x32'),
    f('OpenPath', 'wstr'),
  ]),
);
add(KernelGroup.FileIo, 65, ev('FileIo', 'Cleanup', fileSimple));
add(KernelGroup.FileIo, 66, ev('FileIo', 'Close', fileSimple));
add(KernelGroup.FileIo, 67, ev('FileIo', 'Read', fileRw));
add(KernelGroup.FileIo, 68, ev('FileIo', 'Write', fileRw));
add(KernelGroup.FileIo, 73, ev('FileIo', 'Flush', fileSimple));
add(
  KernelGroup.FileIo,
  76,
  ev('FileIo', 'OperationEnd', [f('IrpPtr', 'ptr'), f('ExtraInfo', 'ptr'), f('NtStatus', 'x32')]),
);
add(KernelGroup.FileIo, 0, ev('FileIo', 'Name', fileName));
add(KernelGroup.FileIo, 32, ev('FileIo', 'FileCreate', fileName));
add(KernelGroup.FileIo, 35, ev('FileIo', 'FileDelete', fileName));
add(KernelGroup.FileIo, 36, ev('FileIo', 'FileRundown', fileName));
add(
  KernelGroup.PageFault,
  32,
  ev('PageFault', 'HardFault', [
    f('InitialTime', 'u64'),
    f('ReadOffset', 'u64'),
    f('VirtualAddress', 'ptr'),
    f('FileObject', 'ptr'),
    f('TThreadId', 'u32'),
    f('ByteCount', 'u32'),
  ]),
);

/** Opcode names for kernel events we only name (no field table). */
export const KERNEL_OPCODE_NAMES: Record<number, string> = {
  0x0000: '',
  0x0005: 'Extension',
  0x0008: 'RundownComplete',
  0x0020: 'EndExtension',
  0x0f2e: 'Sample',
  0x0f42: 'ISR',
  0x0f44: 'DPC',
  0x0f33: 'SysClEnter',
  0x0f34: 'SysClExit',
  0x020a: 'TransitionFault',
  0x020b: 'DemandZeroFault',
  0x020c: 'CopyOnWrite',
  0x020e: 'HardPageFault',
  0x0304: 'DCEnd',
  0x0524: 'CSwitch',
  0x0532: 'ReadyThread',
};
