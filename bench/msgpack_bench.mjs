// The peer of Gym's MessagePack benchmark: @msgpack/msgpack decoding and encoding the same episodes.
// Usage: node bench/msgpack_bench.mjs FILE [repeats]   (run from the repository root)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(new URL("../tests/interop/package.json", import.meta.url));
const { Decoder, Encoder } = require("@msgpack/msgpack");

const [path, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg ?? 5);
const file = readFileSync(path);
const bodies = [];
for (let position = 0; position + 30 <= file.length; ) {
  const length = file.readUInt32BE(position + 9);
  bodies.push(file.subarray(position + 30, position + 30 + length));
  position += 30 + length;
}
const totalBytes = bodies.reduce((n, b) => n + b.length, 0);
const decoder = new Decoder();
const encoder = new Encoder();
let bestDecode = Infinity, bestEncode = Infinity, encodedBytes = 0;
let objects = [];
for (let r = 0; r < repeats + 1; r++) {
  let t = process.hrtime.bigint();
  objects = bodies.map((b) => decoder.decode(b));
  bestDecode = Math.min(bestDecode, Number(process.hrtime.bigint() - t) / 1e9);
  t = process.hrtime.bigint();
  encodedBytes = 0;
  for (const o of objects) encodedBytes += encoder.encode(o).length;
  bestEncode = Math.min(bestEncode, Number(process.hrtime.bigint() - t) / 1e9);
}
// JS numbers that are whole re-encode as integers, so the re-encoded size may be smaller than the file.
if (encodedBytes === 0) throw new Error("nothing encoded");
const mb = totalBytes / 1e6;
console.log(`@msgpack/msgpack: ${bodies.length} episodes, ${mb.toFixed(1)} MB; decode ${(mb / bestDecode).toFixed(0)} MB/s, encode ${(mb / bestEncode).toFixed(0)} MB/s (best of ${repeats})`);
