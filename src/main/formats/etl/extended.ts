import type { EtwExtendedItem, EtwValue } from '../../../shared/domain/etw';
import { EXT_TYPE_NAMES, ExtType } from './constants';
import { cachedGuidAt } from './guid';
import type { EtlRecord } from './reader';
import { sidAt } from './tracelogging';

/** Position of one extended data item of the current record (data only, header skipped). */
export interface ExtItemRef {
  type: number;
  offset: number;
  size: number;
}

/** The extended items of an EVENT_HEADER record (bounds were checked when the record was decoded). */
export function extItems(rec: EtlRecord): ExtItemRef[] {
  const out: ExtItemRef[] = [];
  const b = rec.data;
  let p = rec.extOffset;
  while (p + 8 <= rec.extEnd) {
    const itemSize = b.readUInt16LE(p);
    out.push({ type: b.readUInt16LE(p + 2), offset: p + 8, size: b.readUInt16LE(p + 6) });
    if (itemSize < 8) break;
    p += itemSize;
  }
  return out;
}

/** The data of the first item of `type`, without building the list (hot path for TL events). */
export function findExtItem(rec: EtlRecord, type: number): ExtItemRef | null {
  const b = rec.data;
  let p = rec.extOffset;
  while (p + 8 <= rec.extEnd) {
    const itemSize = b.readUInt16LE(p);
    if (b.readUInt16LE(p + 2) === type) return { type, offset: p + 8, size: b.readUInt16LE(p + 6) };
    if (itemSize < 8) break;
    p += itemSize;
  }
  return null;
}

/** Provider name from a PROV_TRAITS item: u16 total size, then the NUL-terminated UTF-8 name. */
export function providerNameFromTraits(b: Buffer, item: ExtItemRef): string | null {
  if (item.size < 3) return null;
  const end = item.offset + item.size;
  const z = b.indexOf(0, item.offset + 2);
  if (z < 0 || z >= end) return null;
  return b.toString('utf8', item.offset + 2, z);
}

/** Return addresses of a STACK_TRACE32/64 item (u64 match id first). */
export function stackAddresses(b: Buffer, item: ExtItemRef): string[] {
  const width = item.type === ExtType.StackTrace64 ? 8 : 4;
  const out: string[] = [];
  for (let p = item.offset + 8; p + width <= item.offset + item.size && out.length < 1024; p += width)
    out.push(width === 8 ? `0x${b.readBigUInt64LE(p).toString(16)}` : `0x${b.readUInt32LE(p).toString(16)}`);
  return out;
}

function itemValue(b: Buffer, item: ExtItemRef): EtwValue {
  const end = item.offset + item.size;
  const u64 = () => (item.size >= 8 ? `0x${b.readBigUInt64LE(item.offset).toString(16)}` : null);
  switch (item.type) {
    case ExtType.RelatedActivityId:
    case ExtType.ControlGuid:
    case ExtType.ContainerId:
      return item.size >= 16 ? cachedGuidAt(b, item.offset) : null;
    case ExtType.Sid:
      return sidAt(b, item.offset, end)?.text ?? null;
    case ExtType.TsId:
      return item.size >= 4 ? b.readUInt32LE(item.offset) : null;
    case ExtType.StackTrace32:
    case ExtType.StackTrace64:
      return { matchId: u64(), frames: stackAddresses(b, item) };
    case ExtType.ProvTraits:
      return providerNameFromTraits(b, item);
    case ExtType.EventKey:
    case ExtType.ProcessStartKey:
    case ExtType.StackKey32:
    case ExtType.StackKey64:
    case ExtType.QpcDelta:
      return u64();
    case ExtType.InstanceInfo:
      return item.size >= 24
        ? {
            instanceId: b.readUInt32LE(item.offset),
            parentInstanceId: b.readUInt32LE(item.offset + 4),
            parentGuid: cachedGuidAt(b, item.offset + 8),
          }
        : null;
    case ExtType.PmcCounters: {
      const counters: string[] = [];
      for (let p = item.offset; p + 8 <= end && counters.length < 64; p += 8)
        counters.push(b.readBigUInt64LE(p).toString());
      return counters;
    }
    default:
      // EVENT_SCHEMA_TL and unknown items: the raw view shows their bytes.
      return b.toString('hex', item.offset, Math.min(end, item.offset + 512));
  }
}

export function describeExtItems(rec: EtlRecord): EtwExtendedItem[] {
  return extItems(rec).map((it) => ({
    type: it.type,
    name: EXT_TYPE_NAMES[it.type] ?? `ExtType${it.type}`,
    size: it.size,
    value: itemValue(rec.data, it),
  }));
}
