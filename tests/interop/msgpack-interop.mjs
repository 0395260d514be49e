// Checks Gym's MessagePack against @msgpack/msgpack, an independent implementation.
// Usage: node msgpack-interop.mjs CORPUS GYM_ENCODED OUT
//   CORPUS       tests/interop/msgpack-corpus.json: typed descriptions of values
//   GYM_ENCODED  {"entries": [{"name", "hex"}]}: what Gym wrote for each entry
//   OUT          {"entries": [{"name", "hex", "decodedOk", "error"}]}: what this side wrote, and whether
//                Gym's bytes decode here to the described value
import { readFileSync, writeFileSync } from "node:fs";
import { Encoder, Decoder, ExtensionCodec, ExtData, encodeTimeSpecToTimestamp, decodeTimestampToTimeSpec } from "@msgpack/msgpack";

class TimeSpec { constructor(sec, nsec) { this.sec = sec; this.nsec = nsec; } }

const codec = new ExtensionCodec();
codec.register({
  type: -1,
  encode: (v) => (v instanceof TimeSpec ? encodeTimeSpecToTimestamp({ sec: v.sec, nsec: v.nsec }) : null),
  decode: (data) => { const t = decodeTimestampToTimeSpec(data); return new TimeSpec(t.sec, t.nsec); },
});

const toNumber = (v) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
const bytes = (n) => Uint8Array.from({ length: n }, (_, i) => i % 256);

function build(d) {
  switch (d.type) {
    case "nil": return null;
    case "true": return true;
    case "false": return false;
    // Beyond 32 bits @msgpack/msgpack writes JS numbers as float64; BigInt makes it write int64/uint64.
    case "int": { const b = BigInt(d.value); return b >= -(2n ** 31n) && b < 2n ** 32n ? Number(b) : b; }
    case "float32": return Math.fround(toNumber(d.value));
    case "float64": return toNumber(d.value);
    case "str": return d.repeat.repeat(d.count);
    case "bin": return bytes(d.length);
    case "array": return Array.from({ length: d.length }, (_, i) => i % 128);
    case "map": { const m = {}; for (let i = 0; i < d.length; i++) m["k" + i] = i % 128; return m; }
    case "ext": return new ExtData(d.extType, bytes(d.length));
    case "timestamp": return new TimeSpec(Number(d.sec), d.nsec);
    case "json": return d.value;
    default: throw new Error("unknown descriptor type " + d.type);
  }
}

// Integers compare by value whatever their JS type (number or bigint); floats by Object.is (NaN equals NaN).
function same(a, b) {
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    if (typeof a === "bigint" || typeof b === "bigint" || (Number.isInteger(a) && Number.isInteger(b))) {
      try { return BigInt(a) === BigInt(b); } catch { return false; }
    }
    return Object.is(a, b) || a === b;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof ExtData || b instanceof ExtData) return a instanceof ExtData && b instanceof ExtData && a.type === b.type && same(a.data, b.data);
  if (a instanceof TimeSpec || b instanceof TimeSpec) return a instanceof TimeSpec && b instanceof TimeSpec && a.sec === b.sec && a.nsec === b.nsec;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k], b[k]));
}

const [corpusPath, gymPath, outPath] = process.argv.slice(2);
const corpus = JSON.parse(readFileSync(corpusPath, "utf8")).entries;
const gym = new Map(JSON.parse(readFileSync(gymPath, "utf8")).entries.map((e) => [e.name, e.hex]));
const decoder = new Decoder({ extensionCodec: codec, useBigInt64: true });
const out = [];
for (const entry of corpus) {
  const isRaw = entry.type === "raw";
  const expected = build(isRaw ? entry.decoded : entry);
  let hex = null, decodedOk = false, error = null;
  try {
    if (isRaw) hex = entry.hex;
    else {
      const encoder = new Encoder({ extensionCodec: codec, useBigInt64: true, forceFloat32: entry.type === "float32", forceIntegerToFloat: entry.type === "float32" || entry.type === "float64" });
      hex = Buffer.from(encoder.encode(expected)).toString("hex");
    }
    const gymHex = gym.get(entry.name);
    if (gymHex === undefined) throw new Error("Gym wrote nothing for this entry");
    const decoded = decoder.decode(Buffer.from(gymHex, "hex"));
    decodedOk = same(decoded, expected);
    if (!decodedOk) error = "decoded value differs from the description";
  } catch (e) {
    error = String(e && e.message || e);
  }
  out.push({ name: entry.name, hex, decodedOk, error });
}
writeFileSync(outPath, JSON.stringify({ entries: out }));
