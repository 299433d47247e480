export * from './make-functions-safe';
