/** Types for node-flags.mjs (plain JavaScript, so `npm start` can import it without a build). */
export declare const API_NODE_FLAGS: readonly string[];
