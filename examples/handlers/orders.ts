// The handler of the examples' NodejsFunctions (bundled by esbuild at synth).
export const handler = async (event: unknown): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: JSON.stringify({ received: event !== undefined }),
});
