/**
 * The intake the HTTP interactions endpoint hands verified interactions to: the adapter's own
 * (`interactions.ts`), which the gateway path uses too.
 */
export type { InteractionIntake, InteractionResponder } from "./interactions.js";
