/** Dump profiles users choose for a manual capture, with SkyrimDiag's flag sets (§8, hang/manual row). */
export type DumpProfile = 'small' | 'default' | 'full';

/** MINIDUMP_TYPE bits (dbghelp.h). */
export const MiniDump = {
  Normal: 0x0,
  WithDataSegs: 0x1,
  WithFullMemory: 0x2,
  WithHandleData: 0x4,
  WithUnloadedModules: 0x20,
  WithIndirectlyReferencedMemory: 0x40,
  WithProcessThreadData: 0x100,
  WithFullMemoryInfo: 0x800,
  WithThreadInfo: 0x1000,
  WithCodeSegs: 0x2000,
  IgnoreInaccessibleMemory: 0x20000,
  WithModuleHeaders: 0x80000,
} as const;

const BASE =
  MiniDump.WithThreadInfo | MiniDump.WithHandleData | MiniDump.WithUnloadedModules | MiniDump.WithCodeSegs;

/** The same numbers native/src/minidump.cc uses; kept here for the manifest and for tests. */
export function dumpFlags(profile: DumpProfile): number {
  switch (profile) {
    case 'small':
      return MiniDump.Normal | MiniDump.WithThreadInfo;
    case 'default':
      return BASE;
    case 'full':
      return BASE | MiniDump.WithFullMemory;
  }
}

/** The manifest's `capture_profile` block (§4) for a manual capture. */
export function captureProfileBlock(profile: DumpProfile): Record<string, string | boolean> {
  const f = dumpFlags(profile);
  const has = (bit: number): boolean => (f & bit) !== 0;
  return {
    capture_kind: 'manual',
    base_mode: profile === 'small' ? 'mini' : profile,
    include_thread_info: has(MiniDump.WithThreadInfo),
    include_handle_data: has(MiniDump.WithHandleData),
    include_unloaded_modules: has(MiniDump.WithUnloadedModules),
    include_code_segments: has(MiniDump.WithCodeSegs),
    include_full_memory: has(MiniDump.WithFullMemory),
    include_process_thread_data: has(MiniDump.WithProcessThreadData),
    include_full_memory_info: has(MiniDump.WithFullMemoryInfo),
    include_module_headers: has(MiniDump.WithModuleHeaders),
    include_indirect_memory: has(MiniDump.WithIndirectlyReferencedMemory),
    ignore_inaccessible_memory: has(MiniDump.IgnoreInaccessibleMemory),
    prefer_main_thread: true,
    prefer_wct_threads: true,
    prefer_crash_context: false,
  };
}
