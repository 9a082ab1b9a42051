/** The parts of the vector files (test/vectors) that the note tests read. */

export interface GoNoteCase {
  desc: string;
  note: string;
  verifierKeys: string[];
  expected: {
    ok: boolean;
    verifiedSigs?: string[];
    unverifiedSigs?: string[];
    unverifiedSigCount?: number;
    error?: string;
  };
}
export interface GoNoteVectors {
  text: string;
  peterSigLine: string;
  enochSigLine: string;
  cases: GoNoteCase[];
  vkeys: { vkey: string; valid: boolean; why?: string }[];
}

export interface C2spExample {
  vkey: string;
  note: string;
  expected: string;
}

export interface EcdsaVkeyVectors {
  cases: { desc: string; vkey: string; valid: boolean }[];
}

export interface RealCheckpoint {
  desc: string;
  note: string;
  verifierKeys: string[];
  expected: string;
  observed: { sigName: string; kind: string }[];
}

export interface TlogKey {
  baseUrl: string;
  keyDetails: string;
  logIdKeyIdBase64: string;
  publicKeyDERBase64: string;
  ed25519RawBase64?: string;
}
export interface RekorKeys {
  production: Record<string, { noteVerifierKey: string }>;
  allTransparencyLogKeysFound: TlogKey[];
}

export interface InclusionProof {
  treeSize: string;
  rootHash: string;
}
export interface TlogEntry {
  origin: string;
  logId: string;
  checkpoint: string;
  inclusionProof: InclusionProof;
  expected: { checkpointSignature: string };
}
export interface CheckpointOnly {
  checkpoint: string;
  rootHashInTest?: string;
  logIdKeyIdBase64?: string;
  source: { repo: string };
}
export interface RekorEntries {
  entries: TlogEntry[];
  checkpointOnly: CheckpointOnly[];
}

export interface NegativeBundleEntry {
  origin: string | null;
  checkpoint: string | null;
  inclusionProof: InclusionProof;
  expected: string | { result: string; reasons: string[] };
  observed: { checkpointSignatures: { matchedKeyIds: string[] }[] };
}
export interface RekorNegative {
  bundleEntries: NegativeBundleEntry[];
  checkpointStrings: { desc: string; checkpoint: string; expected: string }[];
}

export interface RekorV2Vectors {
  keys: Record<string, { vkey: string }> & { witnessCosignatureVkeys: { vkeys: Record<string, string> } };
  entries: TlogEntry[];
  negative: (TlogEntry & { expected: { result: string; reasons: string[] } })[];
}

export interface TesseraVectors {
  vkey: string;
  checkpoints: { file: string; checkpoint: string; size: number; rootHash: string }[];
}

/** Narrows a value the vector file is known to contain; fails the test if it is missing. */
export function must<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`vector is missing ${what}`);
  return value;
}
