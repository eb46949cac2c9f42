import { describe, expect, it } from 'vitest';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';

/**
 * Trainwreck lists each module with its base, SHA and version on indented lines under the name
 * (excerpt from a Trainwreck log pasted in https://github.com/aers/EngineFixesSkyrim64/issues/67,
 * hashes shortened). Those lines belong to the module above them; they are not modules.
 */
const LOG = `SkyrimSE v1.6.1170
trainwreck v1.4.0

Unhandled exception "EXCEPTION_ACCESS_VIOLATION" at 0x7FF6CBEE41E1 SkyrimSE.exe+06441E1

PROBABLE CALL STACK:
    [0] 0x7FF6CBEE41E1 SkyrimSE.exe+06441E1

MODULES:
    SkyrimSE.exe
        Address: 0x7FF6CB8A0000
        SHA: F7A77A0646E83A078FF8A2004C39533D
        Version: v1.6.1170
    SSEFpsStabilizer.dll
        Address: 0x7FFF52330000
        SHA: 7AD694E2B45D3891BE6C714FB4DB068F
    steam_api64.dll
        Address: 0x7FFF42CB0000
        SHA: C08DE8C6E331D13DFE868AB340E41552
        Version: v7.40.51.27
`;

describe('Trainwreck module list', () => {
  it('reads name, base and version; the detail lines are not modules', () => {
    const { parsed } = parseCrashLogDetailed(LOG, 'crash.log');
    expect(parsed.modules).toEqual([
      { name: 'SkyrimSE.exe', base: '0x7FF6CB8A0000', version: '1.6.1170' },
      { name: 'SSEFpsStabilizer.dll', base: '0x7FFF52330000', version: null },
      { name: 'steam_api64.dll', base: '0x7FFF42CB0000', version: '7.40.51.27' },
    ]);
  });
});
