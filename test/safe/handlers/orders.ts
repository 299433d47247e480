// A handler for the NodejsFunction tests with an explicit entry.
export const handler = async (): Promise<string> => 'explicit-entry-marker';
