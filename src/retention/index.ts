// Only the public options: the pruner's construct, function and handler are internal.
export * from './safe-function-retention-options';
export * from './retention-warnings';
