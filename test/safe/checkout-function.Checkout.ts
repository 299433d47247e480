// The default entry of a CheckoutFunction with the ID 'Checkout' (see checkout-function.ts).
export const handler = async (): Promise<string> => 'subclass-default-entry-marker';
