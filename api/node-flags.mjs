// Node flags every API process runs with (`npm start` in api/package.json repeats them; the root's
// `npm start` and the benchmarks import them from here).
//
// --max-semi-space-size=32: V8's young generation grows to 32 MB semi-spaces instead of Node 20's 16 MB.
// A holdSeats request allocates ~44 KB that die young; with the default, scavenges ran often enough to
// cost 3-8% of holds/s on the 2-core bench machine. It costs up to ~64 MB more resident memory per
// process.
export const API_NODE_FLAGS = ["--max-semi-space-size=32"];
