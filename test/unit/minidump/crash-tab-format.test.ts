import { describe, expect, it } from 'vitest';
import { frameLabel, hexRows } from '../../../src/shared/domain/minidump-format';

describe('Crash tab formatting', () => {
  const base = {
    index: 0,
    ip: '0x40429e',
    sp: '0x12fe84',
    trust: 'context' as const,
    module: 'test_app.exe',
    moduleOffset: '0x429e',
    function: null,
    functionOffset: null,
    file: null,
    line: null,
    lineOffset: null,
  };
  it('labels frames like Breakpad', () => {
    expect(frameLabel(base)).toBe('test_app.exe + 0x429e');
    expect(
      frameLabel({
        ...base,
        function: 'main',
        functionOffset: '0x50',
        file: 'c:\\test_app.cc',
        line: 65,
        lineOffset: '0x5',
      }),
    ).toBe('test_app.exe!main [test_app.cc : 65 + 0x5]');
    expect(frameLabel({ ...base, module: null })).toBe('0x40429e');
  });
  it('renders 16-byte hex rows with ASCII', () => {
    const rows = hexRows('0x1000', Buffer.from('Hello, minidump!\x00\x01').toString('hex'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^0000000000001000 {2}48 65 6c/);
    expect(rows[0]?.endsWith('Hello, minidump!')).toBe(true);
    expect(rows[1]?.endsWith('..')).toBe(true);
  });
});
