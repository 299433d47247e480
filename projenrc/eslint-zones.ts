/**
 * The layers of src/ as eslint `import/no-restricted-paths` zones (issue #18): a build fails on an
 * import into another feature's `private/`, or from a lower layer into a higher one. ARCHITECTURE.md
 * draws the same layers.
 */
export interface ImportZone {
  /** Files the restriction applies to. */
  readonly target: string;
  /** What those files may not import. */
  readonly from: string;
  /** Exceptions inside `from`. */
  readonly except?: string[];
  readonly message?: string;
}

export const IMPORT_ZONES: ImportZone[] = [];
