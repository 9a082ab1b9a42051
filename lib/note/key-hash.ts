/** Key IDs of signed-note keys (c2sp.org/signed-note, "Signatures"). */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex, utf8 } from '../bytes.ts';

/** Signature type identifier bytes (c2sp.org/signed-note, "Signature types"). */
export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_ECDSA = 0x02;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;
export const SIG_TYPE_RFC6962_STH = 0x05;

/** The recommended key ID: SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4]. */
export function c2spKeyHash(name: string, sigType: number, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, sigType), publicKey)).slice(0, 4);
}

/** `name+hex(keyHash)`, the way keys are named in messages. */
export function keyLabel(name: string, keyHash: Uint8Array): string {
  return `${name}+${toHex(keyHash)}`;
}
