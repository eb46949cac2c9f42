import type { EtwField, EtwValue } from '../../../../shared/domain/etw';
import { f, type EventSchema, type FieldSpec } from '../schema';

/**
 * Our own description of the public Microsoft-Windows-DotNETRuntime event layouts (the GC and
 * runtime events documented in "Garbage collection ETW events" / "Runtime information ETW
 * events" on learn.microsoft.com). The CLR does not put its manifest into traces, so without
 * this table these events would only show raw bytes.
 */
export const CLR_PROVIDER = 'e13c0d23-ccbc-4e12-931b-d9cc2eee27e4';
export const CLR_RUNDOWN_PROVIDER = 'a669021c-c450-4609-a035-5af59af4df18';

const GcReason = {
  0: 'AllocSmall',
  1: 'Induced',
  2: 'LowMemory',
  3: 'Empty',
  4: 'AllocLarge',
  5: 'OutOfSpaceSOH',
  6: 'OutOfSpaceLOH',
  7: 'InducedNotForced',
  8: 'Internal',
  9: 'InducedLowMemory',
  10: 'InducedCompacting',
  11: 'LowMemoryHost',
  12: 'PMFullGC',
  13: 'LowMemoryHostBlocking',
};
const GcType = { 0: 'NonConcurrentGC', 1: 'BackgroundGC', 2: 'ForegroundGC' };
const GcSegmentType = {
  0: 'SmallObjectHeap',
  1: 'LargeObjectHeap',
  2: 'ReadOnlyHeap',
  3: 'PinnedObjectHeap',
};
const GcSuspendReason = {
  0: 'SuspendOther',
  1: 'SuspendForGC',
  2: 'SuspendForAppDomainShutdown',
  3: 'SuspendForCodePitching',
  4: 'SuspendForShutdown',
  5: 'SuspendForDebugger',
  6: 'SuspendForGCPrep',
  7: 'SuspendForDebuggerSweep',
};
const GcAllocKind = { 0: 'Small', 1: 'Large', 2: 'Pinned' };
const GcGlobalMechanisms = {
  0: 'None',
  0x1: 'Concurrent',
  0x2: 'Compaction',
  0x4: 'Promotion',
  0x8: 'Demotion',
  0x10: 'CardBundles',
  0x20: 'Elevation',
};
const GcPauseMode = { 0: 'Batch', 1: 'Interactive', 2: 'LowLatency', 3: 'SustainedLowLatency', 4: 'NoGC' };
const RuntimeSku = { 0: 'None', 1: 'DesktopClr', 2: 'CoreClr', 3: 'Mono' };
const StartupMode = {
  0: 'None',
  1: 'ManagedExe',
  2: 'HostedClr',
  4: 'IjwDll',
  8: 'ComActivated',
  16: 'Other',
};
const FitBucketKind = { 0: 'FLItemsInGen2', 1: 'PlugsInCondemned' };

const clr = f('ClrInstanceID', 'u16');

/** Layouts that only append fields: version `from + i` is every step up to i. */
function grow(from: number, ...steps: FieldSpec[][]): Record<number, FieldSpec[]> {
  const out: Record<number, FieldSpec[]> = {};
  let acc: FieldSpec[] = [];
  steps.forEach((step, i) => (out[from + i] = acc = [...acc, ...step]));
  return out;
}

const COMPACT_REASONS = [
  'compact_low_ephemeral',
  'compact_high_frag',
  'compact_no_gaps',
  'compact_loh_forced',
  'compact_last_gc',
  'compact_induced_compacting',
  'compact_fragmented_gen0',
  'compact_high_ephemeral_frag',
  'compact_high_card_frag',
  'compact_high_mem_load',
  'compact_high_mem_frag',
  'compact_vhigh_mem_frag',
  'compact_no_gc_mode',
];
const EXPAND_MECHANISMS = [
  'expand_reuse_normal',
  'expand_reuse_bestfit',
  'expand_new_seg_ep',
  'expand_new_seg',
  'expand_no_memory',
  'expand_next_full_gc',
];

/** The runtime logs a mechanism as 0x80000000 | (1 << index); without the high bit none was recorded. */
function mechanism(names: string[]): (v: number) => EtwValue {
  return (v) => {
    if (!(v & 0x80000000)) return 'not_specified';
    const bits = v & 0x7fffffff;
    const index = bits ? 31 - Math.clz32(bits) : -1;
    return names[index] ?? `0x${(v >>> 0).toString(16)}`;
  };
}

function num(m: Map<string, EtwValue>, k: string): number {
  const v = m.get(k);
  return typeof v === 'number' ? v : 0;
}

/** TraceEvent shows these sums next to GC/HeapStats; so do we (derived, not on the wire). */
function heapStatsTotals(m: Map<string, EtwValue>): EtwField[] {
  const gens = [0, 1, 2, 3, 4];
  const size = gens.reduce((s, g) => s + num(m, `GenerationSize${g}`), 0);
  const promoted = gens.reduce((s, g) => s + num(m, `TotalPromotedSize${g}`), 0);
  const depth = num(m, 'TotalPromotedSize2') ? 2 : num(m, 'TotalPromotedSize1') ? 1 : 0;
  return [
    { name: 'TotalHeapSize', type: 'UINT64', value: size },
    { name: 'TotalPromoted', type: 'UINT64', value: promoted },
    { name: 'Depth', type: 'UINT32', value: depth },
  ];
}

const gcGenData = [
  'SizeBefore',
  'FreeListSpaceBefore',
  'FreeObjSpaceBefore',
  'SizeAfter',
  'FreeListSpaceAfter',
  'FreeObjSpaceAfter',
  'In',
  'PinnedSurv',
  'NonePinnedSurv',
  'NewAllocation',
].map((n) => f(n, 'u64'));

/** Keyed by event id (manifest events are unique per id within the provider). */
export const CLR_EVENTS: Record<number, EventSchema> = {
  1: {
    task: 'GC',
    opcode: 'Start',
    versions: {
      0: [f('Count', 'u32'), f('Reason', 'u32', { map: GcReason })],
      ...grow(
        1,
        [
          f('Count', 'u32'),
          f('Depth', 'u32'),
          f('Reason', 'u32', { map: GcReason }),
          f('Type', 'u32', { map: GcType }),
          clr,
        ],
        [f('ClientSequenceNumber', 'u64')],
      ),
    },
  },
  2: {
    task: 'GC',
    opcode: 'Stop',
    versions: { 0: [f('Count', 'u32'), f('Depth', 'u32')], 1: [f('Count', 'u32'), f('Depth', 'u32'), clr] },
  },
  3: { task: 'GC', opcode: 'RestartEEStop', versions: { 0: [], 1: [clr] } },
  4: {
    task: 'GC',
    opcode: 'HeapStats',
    versions: grow(
      1,
      [
        ...[0, 1, 2, 3].flatMap((g) => [f(`GenerationSize${g}`, 'u64'), f(`TotalPromotedSize${g}`, 'u64')]),
        f('FinalizationPromotedSize', 'u64'),
        f('FinalizationPromotedCount', 'u64'),
        f('PinnedObjectCount', 'u32'),
        f('SinkBlockCount', 'u32'),
        f('GCHandleCount', 'u32'),
        clr,
      ],
      [f('GenerationSize4', 'u64'), f('TotalPromotedSize4', 'u64')],
    ),
    derive: heapStatsTotals,
  },
  5: {
    task: 'GC',
    opcode: 'CreateSegment',
    versions: {
      1: [f('Address', 'x64'), f('Size', 'x64'), f('Type', 'u32', { map: GcSegmentType }), clr],
    },
  },
  6: { task: 'GC', opcode: 'FreeSegment', versions: { 1: [f('Address', 'x64'), clr] } },
  7: { task: 'GC', opcode: 'RestartEEStart', versions: { 0: [], 1: [clr] } },
  8: { task: 'GC', opcode: 'SuspendEEStop', versions: { 0: [], 1: [clr] } },
  9: {
    task: 'GC',
    opcode: 'SuspendEEStart',
    versions: { 1: [f('Reason', 'u32', { map: GcSuspendReason }), f('Count', 'u32'), clr] },
  },
  10: {
    task: 'GC',
    opcode: 'AllocationTick',
    versions: grow(
      1,
      [f('AllocationAmount', 'u32'), f('AllocationKind', 'u32', { map: GcAllocKind }), clr],
      [f('AllocationAmount64', 'u64'), f('TypeID', 'ptr'), f('TypeName', 'wstr'), f('HeapIndex', 'u32')],
      [f('Address', 'ptr')],
      [f('ObjectSize', 'u64')],
    ),
  },
  13: { task: 'GC', opcode: 'FinalizersStop', versions: { 1: [f('Count', 'u32'), clr] } },
  14: { task: 'GC', opcode: 'FinalizersStart', versions: { 0: [], 1: [clr] } },
  29: {
    task: 'GC',
    opcode: 'FinalizeObject',
    versions: { 0: [f('TypeID', 'ptr'), f('ObjectID', 'ptr'), clr] },
  },
  33: {
    task: 'GC',
    opcode: 'PinObjectAtGCTime',
    versions: {
      0: [f('HandleID', 'ptr'), f('ObjectID', 'ptr'), f('ObjectSize', 'u64'), f('TypeName', 'wstr'), clr],
    },
  },
  35: { task: 'GC', opcode: 'Triggered', versions: { 0: [f('Reason', 'u32', { map: GcReason }), clr] } },
  202: {
    task: 'GC',
    opcode: 'MarkWithType',
    versions: { 0: [f('HeapNum', 'u32'), clr, f('Type', 'u32'), f('Promoted', 'u64')] },
  },
  204: {
    task: 'GC',
    opcode: 'PerHeapHistory',
    versions: {
      3: [
        clr,
        f('FreeListAllocated', 'usize'),
        f('FreeListRejected', 'usize'),
        f('EndOfSegAllocated', 'usize'),
        f('CondemnedAllocated', 'usize'),
        f('PinnedAllocated', 'usize'),
        f('PinnedAllocatedAdvance', 'usize'),
        f('RunningFreeListEfficiency', 'u32'),
        f('CondemnReasons0', 'u32'),
        f('CondemnReasons1', 'u32'),
        f('CompactMechanisms', 'u32', { format: mechanism(COMPACT_REASONS) }),
        f('ExpandMechanisms', 'u32', { format: mechanism(EXPAND_MECHANISMS) }),
        f('HeapIndex', 'u32'),
        f('ExtraGen0Commit', 'usize'),
        f('Count', 'u32'),
        f('Values', 'u64', { countFrom: 'Count', members: gcGenData }),
      ],
    },
  },
  205: {
    task: 'GC',
    opcode: 'GlobalHeapHistory',
    versions: grow(
      0,
      [
        f('FinalYoungestDesired', 'u64'),
        f('NumHeaps', 'i32'),
        f('CondemnedGeneration', 'u32'),
        f('Gen0ReductionCount', 'u32'),
        f('Reason', 'u32', { map: GcReason }),
        f('GlobalMechanisms', 'u32', { map: GcGlobalMechanisms, flags: true }),
      ],
      [clr],
      [f('PauseMode', 'u32', { map: GcPauseMode }), f('MemoryPressure', 'u32')],
      [f('CondemnReasons0', 'u32'), f('CondemnReasons1', 'u32')],
      [f('Count', 'u32'), f('Values', 'u32', { countFrom: 'Count' })],
    ),
  },
  208: { task: 'GC', opcode: 'LOHCompact', versions: { 0: [clr, f('Count', 'u16')] } },
  209: {
    task: 'GC',
    opcode: 'FitBucketInfo',
    versions: {
      0: [clr, f('BucketKind', 'u16', { map: FitBucketKind }), f('TotalSize', 'u64'), f('Count', 'u16')],
    },
  },
  187: {
    task: 'Runtime',
    opcode: 'Start',
    versions: {
      0: [
        clr,
        f('Sku', 'u16', { map: RuntimeSku }),
        f('BclMajorVersion', 'u16'),
        f('BclMinorVersion', 'u16'),
        f('BclBuildNumber', 'u16'),
        f('BclQfeNumber', 'u16'),
        f('VMMajorVersion', 'u16'),
        f('VMMinorVersion', 'u16'),
        f('VMBuildNumber', 'u16'),
        f('VMQfeNumber', 'u16'),
        f('StartupFlags', 'u32'),
        f('StartupMode', 'u8', { map: StartupMode }),
        f('CommandLine', 'wstr'),
        f('ComObjectGuid', 'guid'),
        f('RuntimeDllPath', 'wstr'),
      ],
    },
  },
};

/*
 * Microsoft-Windows-DotNETRuntimeRundown (a669021c-...): the runtime's answer to a rundown
 * session, listing what was loaded when the trace started (DCStart) or ended (DCStop). Its ids
 * are its own (10 is GC SettingsRundown here, AllocationTick in the runtime provider), so it has
 * its own table. Layouts from the public rundown manifest; names as TraceEvent/PerfView print them.
 */
/** A flags map: bit i (from 0x1 up) is names[i]; 0 reads "None" unless `none` is false. */
function bitNames(names: string[], none = true): Record<number, string> {
  const out: Record<number, string> = none ? { 0: 'None' } : {};
  names.forEach((n, i) => (out[2 ** i] = n));
  return out;
}
const ModuleFlags = bitNames([
  'DomainNeutral',
  'Native',
  'Dynamic',
  'Manifest',
  'IbcOptimized',
  'ReadyToRunModule',
  'PartialReadyToRunModule',
]);
const AssemblyFlags = bitNames(['DomainNeutral', 'Dynamic', 'Native', 'Collectible', 'ReadyToRun']);
const AppDomainFlags = bitNames(['Default', 'Executable', 'Shared']);
const MethodFlags = bitNames([
  'Dynamic',
  'Generic',
  'HasSharedGenericCode',
  'Jitted',
  'JitHelper',
  'ProfilerRejectedPrecompiledCode',
  'ReadyToRunRejectedPrecompiledCode',
]);
const ThreadFlags = bitNames(['GCSpecial', 'Finalizer', 'ThreadPoolWorker']);
const TieredCompilationFlags = bitNames(['QuickJit', 'QuickJitForLoops', 'TieredPGO', 'ReadyToRun']);
const GcSettingsFlags = bitNames(
  [
    'GCSettingsConcurrent',
    'GCSettingsLargePages',
    'GCSettingsFrozenSegs',
    'GCSettingsHardLimitConfig',
    'GCSettingsNoAffinitize',
  ],
  false,
);

const method = [
  f('MethodID', 'x64'),
  f('ModuleID', 'x64'),
  f('MethodStartAddress', 'x64'),
  f('MethodSize', 'u32'),
  f('MethodToken', 'x32'),
  f('MethodFlags', 'u32', { map: MethodFlags, flags: true }),
];
const methodNames = [f('MethodNamespace', 'wstr'), f('MethodName', 'wstr'), f('MethodSignature', 'wstr')];
const reJit = f('ReJITID', 'u64');
const moduleBase = [
  f('ModuleID', 'u64'),
  f('AssemblyID', 'u64'),
  f('ModuleFlags', 'u32', { map: ModuleFlags, flags: true }),
  f('Reserved1', 'u32', { hidden: true }),
  f('ModuleILPath', 'wstr'),
  f('ModuleNativePath', 'wstr'),
];
const pdbInfo = [
  f('ManagedPdbSignature', 'guid'),
  f('ManagedPdbAge', 'u32'),
  f('ManagedPdbBuildPath', 'wstr'),
  f('NativePdbSignature', 'guid'),
  f('NativePdbAge', 'u32'),
  f('NativePdbBuildPath', 'wstr'),
];
const domainModule = [
  f('ModuleID', 'u64'),
  f('AssemblyID', 'u64'),
  f('AppDomainID', 'u64'),
  f('ModuleFlags', 'u32', { map: ModuleFlags, flags: true }),
  f('Reserved1', 'u32', { hidden: true }),
  f('ModuleILPath', 'wstr'),
  f('ModuleNativePath', 'wstr'),
];

/** TraceEvent shows the file name of the module's IL path next to it (derived, not on the wire). */
function moduleFileName(m: Map<string, EtwValue>): EtwField[] {
  const path = m.get('ModuleILPath');
  if (typeof path !== 'string') return [];
  return [{ name: 'ModuleILFileName', type: 'UNICODESTRING', value: path.slice(path.lastIndexOf('\\') + 1) }];
}

const methodEvent = (opcode: string, verbose: boolean): EventSchema => ({
  task: 'Method',
  opcode,
  versions: grow(0, verbose ? [...method, ...methodNames] : method, [clr], [reJit]),
});
const methodMarker = (opcode: string): EventSchema => ({
  task: 'Method',
  opcode,
  versions: { 0: [], 1: [clr] },
});
const ilMap = (opcode: string): EventSchema => ({
  task: 'Method',
  opcode,
  versions: {
    0: [
      f('MethodID', 'x64'),
      f('ReJITID', 'u64'),
      f('MethodExtent', 'u8'),
      f('CountOfMapEntries', 'u16'),
      f('ILOffsets', 'u32', { countFrom: 'CountOfMapEntries' }),
      f('NativeOffsets', 'u32', { countFrom: 'CountOfMapEntries' }),
      clr,
    ],
  },
});
const loader = (
  opcode: string,
  versions: Record<number, FieldSpec[]>,
  derive?: EventSchema['derive'],
): EventSchema =>
  derive ? { task: 'Loader', opcode, versions, derive } : { task: 'Loader', opcode, versions };
const moduleEvent = (opcode: string): EventSchema =>
  loader(opcode, grow(0, moduleBase, [clr], pdbInfo), moduleFileName);
const domainModuleEvent = (opcode: string): EventSchema => loader(opcode, grow(0, domainModule, [clr]));
const assemblyEvent = (opcode: string): EventSchema =>
  loader(opcode, {
    0: [
      f('AssemblyID', 'u64'),
      f('AppDomainID', 'u64'),
      f('AssemblyFlags', 'u32', { map: AssemblyFlags, flags: true }),
      f('FullyQualifiedAssemblyName', 'wstr'),
    ],
    1: [
      f('AssemblyID', 'u64'),
      f('AppDomainID', 'u64'),
      f('BindingID', 'u64'),
      f('AssemblyFlags', 'u32', { map: AssemblyFlags, flags: true }),
      f('FullyQualifiedAssemblyName', 'wstr'),
      clr,
    ],
  });
const appDomainEvent = (opcode: string): EventSchema =>
  loader(
    opcode,
    grow(
      0,
      [
        f('AppDomainID', 'u64'),
        f('AppDomainFlags', 'u32', { map: AppDomainFlags, flags: true }),
        f('AppDomainName', 'wstr'),
      ],
      [f('AppDomainIndex', 'u32'), clr],
    ),
  );

export const CLR_RUNDOWN_EVENTS: Record<number, EventSchema> = {
  10: {
    task: 'GC',
    opcode: 'SettingsRundown',
    versions: {
      0: [
        f('HardLimit', 'u64'),
        f('LOHThreshold', 'u64'),
        f('PhysicalMemoryConfig', 'u64'),
        f('Gen0MinBudgetConfig', 'u64'),
        f('Gen0MaxBudgetConfig', 'u64'),
        f('HighMemPercentConfig', 'u32'),
        f('BitSettings', 'u32', { map: GcSettingsFlags, flags: true }),
        clr,
      ],
    },
  },
  141: methodEvent('DCStart', false),
  142: methodEvent('DCStop', false),
  143: methodEvent('DCStartVerbose', true),
  144: methodEvent('DCStopVerbose', true),
  145: methodMarker('DCStartComplete'),
  146: methodMarker('DCStopComplete'),
  147: methodMarker('DCStartInit'),
  148: methodMarker('DCStopInit'),
  149: ilMap('ILToNativeMapDCStart'),
  150: ilMap('ILToNativeMapDCStop'),
  151: domainModuleEvent('DomainModuleDCStart'),
  152: domainModuleEvent('DomainModuleDCStop'),
  153: moduleEvent('ModuleDCStart'),
  154: moduleEvent('ModuleDCStop'),
  155: assemblyEvent('AssemblyDCStart'),
  156: assemblyEvent('AssemblyDCStop'),
  157: appDomainEvent('AppDomainDCStart'),
  158: appDomainEvent('AppDomainDCStop'),
  159: loader('ThreadDCStop', {
    0: [
      f('ManagedThreadID', 'x64'),
      f('AppDomainID', 'x64'),
      f('Flags', 'u32', { map: ThreadFlags, flags: true }),
      f('ManagedThreadIndex', 'u32'),
      f('OSThreadID', 'u32'),
      clr,
    ],
  }),
  187: { ...CLR_EVENTS[187]!, task: 'Runtime', opcode: 'Start' },
  280: {
    task: 'TieredCompilationRundown',
    opcode: 'SettingsDCStart',
    versions: { 0: [clr, f('Flags', 'u32', { map: TieredCompilationFlags, flags: true })] },
  },
  300: {
    task: 'ExecutionCheckpointRundown',
    opcode: 'ExecutionCheckpointDCEnd',
    versions: { 0: [clr, f('CheckpointName', 'wstr'), f('CheckpointTimestamp', 'i64')] },
  },
};
