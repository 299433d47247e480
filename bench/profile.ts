/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): the share of time spent with the guard's
 * code on the stack, and the heaviest functions by self time inside and outside it.
 */
import * as fs from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Files of the guard engine (src/guard and its private/), compiled under bench/out/js. */
const isGuardFrame = (url: string): boolean => /\/src\/guard\//.test(url);

/** What a profile says about the guard. */
export interface ProfileSummary {
  /** Sampled time of the whole process. */
  readonly totalMs: number;
  /** Sampled time with the guard's own code running (see below). */
  readonly guardMs: number;
  /** The heaviest functions by self time, while the guard runs and overall. */
  readonly heaviest: string;
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf-8')) as CpuProfile;
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const selfInGuard = new Map<string, number>();
  let total = 0;
  let inGuard = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] / 1000;
    total += dt;
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|bench\/out\/run-\d+\/js)\//, '')}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    let guarded = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at)!.callFrame;
      // The engine wraps the `resolve` of function reference tokens (`tapped`, consumer-taps.ts): the
      // resolution it calls through is synthesis's own work, unless guard code above started it.
      if (isGuardFrame(url) && (functionName !== 'tapped' || at === id)) { guarded = true; break; }
    }
    if (guarded) {
      inGuard += dt;
      selfInGuard.set(key, (selfInGuard.get(key) ?? 0) + dt);
    }
  });

  const list = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${k}`).join('\n');
  return {
    totalMs: total,
    guardMs: inGuard,
    heaviest: `heaviest self time while the guard runs:\n${list(selfInGuard)}\nheaviest self time overall:\n${list(self)}\n`,
  };
}
