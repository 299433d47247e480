// The default entry of the SafeNodejsFunction 'Api' that service.ts creates without `entry`
// (`<file>.<id>.ts`, found as NodejsFunction finds it).
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({ statusCode: 200, body: 'Api' });
