import { ParseError } from '../common/parse-error';

/**
 * MS-XCA "Plain LZ77" decompression (the COMPRESSION_FORMAT_XPRESS that ETW uses for the
 * buffers of a trace recorded with EVENT_TRACE_COMPRESSED_MODE), written from the algorithm
 * in the public [MS-XCA] specification, section 2.4. Output never grows past `outputSize`;
 * a match that points before the start of the output is corrupt input, not a crash.
 */
export function xpressDecompress(input: Uint8Array, outputSize: number, field = 'buffer'): Buffer {
  const out = Buffer.alloc(outputSize);
  let inPos = 0;
  let outPos = 0;
  let flags = 0;
  let flagCount = 0;
  let lastHalfByte = -1;
  const fail = (msg: string): never => {
    throw new ParseError(`compressed buffer: ${msg}`, { field, offset: inPos, code: 'bad_compression' });
  };
  while (outPos < outputSize) {
    if (flagCount === 0) {
      if (inPos + 4 > input.length) break;
      flags =
        (input[inPos]! | (input[inPos + 1]! << 8) | (input[inPos + 2]! << 16) | (input[inPos + 3]! << 24)) >>>
        0;
      inPos += 4;
      flagCount = 32;
    }
    flagCount--;
    if ((flags & (1 << flagCount)) === 0) {
      if (inPos >= input.length) break;
      out[outPos++] = input[inPos++]!;
      continue;
    }
    if (inPos + 2 > input.length) break;
    const matchBytes = input[inPos]! | (input[inPos + 1]! << 8);
    inPos += 2;
    let length = matchBytes & 7;
    const distance = (matchBytes >>> 3) + 1;
    if (length === 7) {
      if (lastHalfByte < 0) {
        if (inPos >= input.length) fail('truncated length');
        length = input[inPos]! & 15;
        lastHalfByte = inPos;
        inPos += 1;
      } else {
        length = input[lastHalfByte]! >>> 4;
        lastHalfByte = -1;
      }
      if (length === 15) {
        if (inPos >= input.length) fail('truncated length');
        length = input[inPos++]!;
        if (length === 255) {
          if (inPos + 2 > input.length) fail('truncated length');
          length = input[inPos]! | (input[inPos + 1]! << 8);
          inPos += 2;
          if (length === 0) {
            if (inPos + 4 > input.length) fail('truncated length');
            length =
              (input[inPos]! |
                (input[inPos + 1]! << 8) |
                (input[inPos + 2]! << 16) |
                (input[inPos + 3]! << 24)) >>>
              0;
            inPos += 4;
          }
          if (length < 15 + 7) fail('match length underflow');
          length -= 15 + 7;
        }
        length += 15;
      }
      length += 7;
    }
    length += 3;
    if (distance > outPos) fail(`match distance ${distance} before the start of the output`);
    const end = Math.min(outputSize, outPos + length);
    // Byte by byte on purpose: LZ77 matches may overlap their own output.
    while (outPos < end) {
      out[outPos] = out[outPos - distance]!;
      outPos++;
    }
  }
  return outPos === outputSize ? out : out.subarray(0, outPos);
}
