export * from './failure-mode';
export * from './finding';
export * from './guard-rules';
export * from './guard-suppressions';
export * from './guarded-functions';
export * from './no-latest-invocations';
export * from './rules';
