// UploadThing as the file store (UPLOADTHING_TOKEN set). Our generated key is UploadThing's customId,
// so rows do not depend on the key UploadThing assigns; files are read back through a signed URL, as
// the download route still decides who may read them.
import { UTApi, UTFile } from "uploadthing/server";
import type { ByteRange, ByteSource, Storage } from "./storage-types";

export class UploadThingStorage implements Storage {
  readonly backend = "uploadthing" as const;
  private api: UTApi;

  constructor(token: string | undefined) {
    this.api = new UTApi({ token });
  }

  async put(key: string, source: ByteSource): Promise<void> {
    const chunks: Uint8Array[] = [];
    if (source instanceof Uint8Array) chunks.push(source);
    else for await (const chunk of source) chunks.push(chunk);
    const result = await this.api.uploadFiles(new UTFile(chunks as BlobPart[], key, { customId: key }), { acl: "private" });
    if (result.error) throw new Error(`UploadThing upload failed: ${result.error.message}`);
  }

  async get(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const { ufsUrl } = await this.api.getSignedURL(key, { keyType: "customId" });
    const response = await fetch(ufsUrl, range ? { headers: { Range: `bytes=${range.start}-${range.end}` } } : {});
    if (!response.ok || !response.body) throw new Error(`UploadThing read failed: ${response.status}`);
    return response.body;
  }

  async delete(key: string): Promise<void> {
    await this.api.deleteFiles(key, { keyType: "customId" });
  }
}
