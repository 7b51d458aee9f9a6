// What every storage backend offers (local.server, uploadthing.server); storage.server picks one. Kept
// apart so that the backends depend on this interface, not on the module that chooses among them.
import type { Readable } from "node:stream";

export type StorageBackend = "local" | "uploadthing";

export type ByteSource = AsyncIterable<Uint8Array> | Uint8Array;
export type ByteRange = { start: number; end: number };

export interface Storage {
  readonly backend: StorageBackend;
  /** Stores the bytes under `key`; either all of them arrive or nothing is left under that key. */
  put(key: string, source: ByteSource): Promise<void>;
  /** The bytes, or only `range` (inclusive offsets, as in an HTTP Range header) when given. */
  get(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | Readable>;
  /** Removes the bytes; a missing key is not an error (deleting twice is harmless). */
  delete(key: string): Promise<void>;
}
