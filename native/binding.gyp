{
  "targets": [
    {
      "target_name": "ctd_capture",
      "sources": ["src/addon.cc", "src/minidump.cc", "src/wait_chains.cc", "src/processes.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "UNICODE", "_UNICODE", "_WIN32_WINNT=0x0A00"],
      "conditions": [
        [
          "OS=='win'",
          {
            "libraries": ["dbghelp.lib", "advapi32.lib", "user32.lib"],
            "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] } }
          },
          { "type": "none", "sources": [] }
        ]
      ]
    }
  ]
}
