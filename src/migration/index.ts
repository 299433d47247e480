export * from './make-functions-safe';
export * from './make-functions-safe-mixin';
