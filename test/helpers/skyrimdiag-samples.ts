/**
 * SkyrimDiag files for tests. All SYNTHETIC: no real SkyrimDiag output may be redistributed
 * (its repository has no licence and holds no sample output); they follow
 * skyrimdiag-artifacts.md §5, §9.2, §10 and §12 field by field.
 */

export const BIG = '18446744073709551615'; // 2^64 - 1: JSON.parse would round it
export const BLACKBOX = [
  '{"i":0,"t_ms":0.0,"tid":5120,"type":1,"type_name":"SessionStart","a":4242,"b":0,"c":0,"d":0}',
  '{"i":1,"t_ms":15.5,"tid":5120,"type":10,"type_name":"MenuOpen","a":' +
    BIG +
    ',"b":0,"c":0,"d":0,"detail":"Loading Menu"}',
  '{"i":2,"t_ms":900.25,"tid":7000,"type":60,"type_name":"ModuleLoad","a":1,"b":2,"c":3,"d":4,"detail":"ExampleMod.dll"}',
  '{"i":3,"t_ms":950,"tid":7000,"type":80,"a":3221225477,"b":0,"c":0,"d":0,"detail":"code=0xC0000005"}',
  '{"i":4,"t_ms":1000,"tid":5120,"type":100,"type_name":"Crash","a":3221225477,"b":140726123456512,"c":0,"d":0}',
].join('\n');

export const PLUGIN_SCAN = JSON.stringify({
  game_exe_version: '1.6.640.0',
  plugins_source: 'mo2_profile',
  mo2_detected: true,
  error: '',
  plugins: [
    {
      filename: 'Skyrim.esm',
      header_version: 1.7,
      is_esl: false,
      is_active: true,
      slot_type_known: true,
      masters: [],
    },
    {
      filename: 'Example.esp',
      header_version: 1.71,
      is_esl: false,
      is_active: true,
      slot_type_known: true,
      masters: ['Skyrim.esm', 'MissingLib.esm'],
    },
    {
      filename: 'Light.esl',
      header_version: 1.7,
      is_esl: true,
      is_active: true,
      slot_type_known: true,
      masters: ['Skyrim.esm'],
    },
  ],
});

export const CLEAN_EXIT = JSON.stringify({
  schema: 'skydiag.clean_exit_evidence.v1',
  dump_state: 'preserved',
  reason: 'process_exit_code_0',
  dump_preserved: true,
  captured_at: '2026-03-15T13:00:05Z',
  exception_code: 3221225477,
  exception_addr: '140726123456512',
  faulting_tid: 5120,
  state_flags: 0,
  crash_seq: 2,
  in_menu: false,
  dump_filename: 'SkyrimDiag_Crash_20260315_130000_001.dmp',
  dump_size_bytes: 48211968,
  dump_last_write_time_utc_100ns: 134180604000010000,
  note: '',
});

export const SUMMARY = `{
  "schema": {"name": "SkyrimDiagSummary", "version": 2},
  "dump_identity": {"schema": "skydiag.dump_identity.v1", "sha256": "${'a'.repeat(64)}", "size_bytes": 48211968, "last_write_time_utc_100ns": 134180604000010001},
  "summary_sentence": "Crash in ExampleMod.dll (EXCEPTION_ACCESS_VIOLATION)",
  "crash_bucket_key": "CTD2-3b1f0c9a44d2e671",
  "analysis": {"is_crash_like": true, "is_hang_like": false, "is_snapshot_like": false, "is_manual_capture": false, "is_filtered_clean_exit": false},
  "exception": {"code": 3221225477, "thread_id": 18588, "address": 140726123456512, "fault_module_offset": 952696,
                "module_plus_offset": "ExampleMod.dll+0xe8978", "fault_module_unknown": false,
                "module_path": "<redacted>\\\\ExampleMod.dll", "inferred_mod_name": "Example Mod"},
  "game_version": "1.6.1170.0",
  "crash_logger": {"object_refs": [{"esp_name": "ExampleMod.esp", "best_object_type": "TESObjectREFR", "form_id": "0xFE00081B", "ref_count": 3}]},
  "suspects": [{"confidence": "Medium", "module_filename": "ExampleMod.dll", "inferred_mod_name": "Example Mod", "score": 14, "reason": "stack hits"},
               {"confidence": "Low", "module_filename": "OtherHelper.dll", "inferred_mod_name": "Other Helper", "score": 3, "reason": "stack hits"}],
  "actionable_candidates": [{"status_id": "cross_validated", "confidence": "High", "display_name": "Example Mod", "primary_identifier": "ExampleMod.dll",
                             "mod_name": "Example Mod", "module_filename": "ExampleMod.dll", "supporting_families": ["crash_logger_frame", "actionable_stack"]}],
  "freeze_analysis": {"state_id": ""},
  "recommendations": ["Update Example Mod"]
}`;
