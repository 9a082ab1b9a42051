/**
 * static-ct-api data tiles (c2sp.org/static-ct-api, "Log entries"): TileLeafs one after the other,
 *
 *   struct { TimestampedEntry timestamped_entry;
 *            select (entry_type) { case x509_entry: Empty; case precert_entry: ASN.1Cert pre_certificate; };
 *            Fingerprint certificate_chain<0..2^16-1>; } TileLeaf;      opaque Fingerprint[32];
 *
 * with TimestampedEntry as in RFC 6962 §3.4:
 *
 *   struct { uint64 timestamp; LogEntryType entry_type;              (uint16: x509_entry 0, precert_entry 1)
 *            select (entry_type) { case x509_entry: ASN.1Cert;        (opaque <1..2^24-1>)
 *                                  case precert_entry: PreCert; }     (opaque issuer_key_hash[32]; TBSCertificate <1..2^24-1>)
 *            CtExtensions extensions; } TimestampedEntry;             (opaque <0..2^16-1>)
 *
 * The leaf is the MerkleTreeLeaf rebuilt byte for byte: version v1 (0x00) ‖ leaf_type
 * timestamped_entry (0x00) ‖ the TimestampedEntry bytes exactly as served. `unsigned` is the
 * certificate_chain fingerprints (n · 32 bytes): not in the tree.
 */
import type { ReceivedEntry } from '../received-entry.ts';
import { malformedBundle } from '../tiles/bundle-reader.ts';

const X509_ENTRY = 0;
const PRECERT_ENTRY = 1;
const FINGERPRINT_BYTES = 32;

/** Exactly `count` TileLeafs and nothing after them. */
export function parseTileLeaves(
  bytes: Uint8Array,
  count: number,
  first: bigint,
  path: string,
): ReceivedEntry[] {
  const out: ReceivedEntry[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const index = first + BigInt(i);
    const fail = (why: string): never => {
      throw malformedBundle(path, first, `TileLeaf of entry ${index} at byte ${pos}: ${why}`, {
        entry: index.toString(),
      });
    };
    const r = new Reader(bytes, pos, fail);
    const entryStart = r.pos;
    r.skip(8, 'timestamp');
    const type = r.uint(2, 'entry_type');
    if (type === X509_ENTRY) r.opaque(3, 1, 'ASN.1Cert');
    else if (type === PRECERT_ENTRY) {
      r.skip(32, 'issuer_key_hash');
      r.opaque(3, 1, 'TBSCertificate');
    } else fail(`entry_type ${type} is neither x509_entry (0) nor precert_entry (1)`);
    r.opaque(2, 0, 'extensions');
    const entryEnd = r.pos;
    if (type === PRECERT_ENTRY) r.opaque(3, 1, 'pre_certificate');
    const chain = r.opaque(2, 0, 'certificate_chain');
    if (chain.length % FINGERPRINT_BYTES !== 0) {
      fail(`certificate_chain is ${chain.length} bytes, not a whole number of 32-byte fingerprints`);
    }
    const leaf = new Uint8Array(2 + entryEnd - entryStart); // version v1, leaf_type timestamped_entry: 0, 0
    leaf.set(bytes.subarray(entryStart, entryEnd), 2);
    out.push({ index, leaf, unsigned: chain.slice() });
    pos = r.pos;
  }
  if (pos !== bytes.length) {
    throw malformedBundle(path, first, `${bytes.length - pos} bytes after the ${count} TileLeafs expected`, {
      expected: pos,
      actual: bytes.length,
    });
  }
  return out;
}

/** A bounds-checked TLS (RFC 8446 §3) reader over one TileLeaf. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly fail: (why: string) => never,
  ) {}

  skip(n: number, what: string): void {
    if (this.pos + n > this.bytes.length)
      this.fail(`${what} needs ${n} bytes, ${this.bytes.length - this.pos} remain`);
    this.pos += n;
  }

  uint(n: number, what: string): number {
    this.skip(n, what);
    let v = 0;
    for (let k = this.pos - n; k < this.pos; k++) v = v * 256 + (this.bytes[k] as number);
    return v;
  }

  /** A length-prefixed opaque value (prefix of `n` bytes), at least `min` bytes long. */
  opaque(n: number, min: number, what: string): Uint8Array {
    const length = this.uint(n, `${what} length`);
    if (length < min) this.fail(`${what} is ${length} bytes, at least ${min} expected`);
    this.skip(length, what);
    return this.bytes.subarray(this.pos - length, this.pos);
  }
}
