export * from './guard';
export * from './version-integrity-warnings';
export * from './warnings';
export * from './release';
export * from './retention';
export * from './safe';
export * from './migration';
export * from './validation';
