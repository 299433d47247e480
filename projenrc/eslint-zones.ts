/**
 * The layers of src/ as eslint `import/no-restricted-paths` zones (issue #18): a build fails on an
 * import into another feature's `private/`, or from a lower layer into a higher one. ARCHITECTURE.md
 * draws the same layers.
 */
export interface ImportZone {
  /** Files the restriction applies to. */
  readonly target: string | string[];
  /** What those files may not import. */
  readonly from: string | string[];
  /** Exceptions inside `from`. */
  readonly except?: string[];
  readonly message?: string;
}

/** The feature folders of src/, each with its own `private/`. */
const FEATURES = ['guard', 'judge', 'cli', 'safe', 'release', 'retention', 'validation', 'migration'];

/**
 * Imports into another feature's `private/` that are still there, each with why (issue #18). Key: the
 * importing feature (or top-level file) → the feature whose `private/` it imports → the files.
 * Each is to move below both features (src/private/) once the file's owner is free to move it.
 */
const OPEN_EXCEPTIONS: Record<string, Record<string, string[]>> = {
  // The validation plugin registry decides what the automatic guard leaves to the plugin.
  guard: { validation: ['./registry.ts'] },
  // SafeFunctionBase composes the guard's registration, the release and the pruner it builds (safe sits above them).
  safe: {
    guard: ['./registration.ts'],
    release: ['./validate.ts', './release.ts', './branch-alias-name.ts'],
    retention: ['./version-pruner.ts', './retention-checks.ts'],
  },
};

/** Top-level files of src/ that import a feature's `private/` (none left: safe-function.ts moved into src/safe/). */
const TOP_LEVEL_EXCEPTIONS: Record<string, Record<string, string[]>> = {};

function privateZones(): ImportZone[] {
  const zones: ImportZone[] = [];
  for (const from of FEATURES) {
    for (const target of FEATURES.filter((f) => f !== from)) {
      zones.push({
        target: `./src/${target}`,
        from: `./src/${from}/private`,
        except: OPEN_EXCEPTIONS[target]?.[from],
        message: `src/${target} may not import src/${from}/private: move what both need to src/private/ (ARCHITECTURE.md).`,
      });
    }
    zones.push({
      target: ['./src/index.ts', './src/version-integrity-warnings.ts', './src/private'],
      from: `./src/${from}/private`,
      message: `only src/${from} may import src/${from}/private (ARCHITECTURE.md).`,
    });
    for (const [file, byFeature] of Object.entries(TOP_LEVEL_EXCEPTIONS)) {
      zones.push({ target: file, from: `./src/${from}/private`, except: byFeature[from] });
    }
  }
  return zones;
}

export const IMPORT_ZONES: ImportZone[] = [
  ...privateZones(),
  // The foundation imports nothing above it.
  {
    target: './src/private',
    from: FEATURES.map((f) => `./src/${f}`),
    message: 'src/private is the foundation: it imports no feature (ARCHITECTURE.md).',
  },
  // The judge is pure and below the adapters: no feature above it; of the guard, only the rule IDs.
  {
    target: './src/judge',
    from: ['./src/cli', './src/safe', './src/release', './src/retention', './src/validation', './src/migration'],
    message: 'src/judge sits below every feature (ARCHITECTURE.md).',
  },
  {
    target: './src/judge',
    from: './src/guard',
    except: ['./guard-rules.ts', './private'],
    message: 'src/judge may read the guard\'s rule IDs only (ARCHITECTURE.md).',
  },
];
