// The default entry of the SafeNodejsFunction 'Orders' created in safe-nodejs-function.test.ts.
export const handler = async (): Promise<string> => 'default-entry-marker';
