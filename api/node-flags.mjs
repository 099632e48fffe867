// Node flags every API process runs with (`npm start` in api/package.json repeats them; the root's
// `npm start` and the benchmarks import them from here).
//
// --max-semi-space-size=32: V8's young generation grows to 32 MB semi-spaces instead of Node 20's 16 MB.
// A holdSeats request allocates ~44 KB that die young; with the default, scavenges ran often enough to
// cost 3-8% of holds/s on the 2-core bench machine. It costs up to ~64 MB more resident memory per
// process.
//
// --no-allocation-site-pretenuring: V8 remembers where each object and array literal is allocated (its
// "allocation site") and, when most objects from one site outlive a scavenge, allocates that site's later
// objects straight into the old generation. At the API's start-up (schema, caches, plans) sites that
// request code shares are seen surviving and get that decision. From then on part of every request is
// born old and, through it, everything young the request points to (headers, body, parsed JSON, the
// answer) survives each scavenge and is copied into the old generation, where only a full collection
// frees it: each scavenge then copies ~2.2 MB and pauses 8-11 ms instead of ~0.01 MB and ~1.7 ms. Whether
// it happened depended on the start (3 processes of 4 under bench:queue). Without pretenuring, objects
// that really live long are copied once more before they reach the old generation, which start-up and
// caches do not notice. Measured with `BENCH_API_NODE_ARGS=--trace-gc-nvp` (docs/PERFORMANCE.md,
// "Waiting room: where the time goes"; the A/B in performance-history.md, "Waiting room: born old").
export const API_NODE_FLAGS = ["--max-semi-space-size=32", "--no-allocation-site-pretenuring"];
