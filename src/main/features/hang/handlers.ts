import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';
import { readWctFile } from '../../formats/wct/parse-wct';
import { analyzeHang } from '../../analysis/hang/analyze-hang';
import { mainThreadNextToWct } from '../../analysis/hang/main-thread';

/** `hang:analysis`: re-read the incident's WCT file (files are the truth; it is small). */
export function hangHandlers(ctx: WorkbenchContext): Partial<Handlers> {
  return {
    'hang:analysis': ({ incidentId }) => {
      const incident = ctx.store.get(incidentId);
      const wct = incident?.artifacts.find((a) => a.role === 'wct');
      if (!wct) return { artifactId: null, analysis: null, error: null };
      try {
        const doc = readWctFile(wct.path);
        const analysis = analyzeHang(doc, {
          mainThreadId: doc.mainThreadId ?? mainThreadNextToWct(wct.path),
        });
        return { artifactId: wct.id, analysis, error: null };
      } catch (e) {
        return { artifactId: wct.id, analysis: null, error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
