import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  paginateListObjectsV2,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertSafeKey } from './keys';
import { ObjectNotFoundError, type ByteRange, type ObjectInfo, type ObjectStore } from './objectStore';

/** Where an S3 API is: AWS by default (region and credentials from the SDK's usual chain), or an S3-compatible store. */
export interface S3ClientOptions {
  region?: string;
  /** An S3-compatible store (MinIO, s3rver); AWS when absent. */
  endpoint?: string;
  /** Bucket in the path, not the host name; on by default for a custom endpoint. */
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const compatible = options.endpoint !== undefined;
  return new S3Client({
    ...(options.region && { region: options.region }),
    ...(options.credentials && { credentials: options.credentials }),
    ...(compatible && {
      endpoint: options.endpoint,
      // Newer SDKs send checksum trailers that S3-compatible stores (s3rver, older MinIO) do not parse.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    forcePathStyle: options.forcePathStyle ?? compatible,
  });
}

/** No such object: GetObject says NoSuchKey, HeadObject (which has no body) a bare NotFound. A missing bucket is not this. */
export function isS3NotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404 && error.name !== 'NoSuchBucket';
}

export interface S3StoreOptions extends S3ClientOptions {
  bucket: string;
  /** Every key of this store lives under it ("lake/"), so a bucket can hold more than the lake. */
  prefix?: string;
  /** Bodies of this size or more go up in parts of this size; S3 wants at least 5 MiB a part. */
  partSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** The body in pieces of `size` bytes (the last one shorter), read as they are needed. */
async function* piecesOf(body: Buffer | Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of Buffer.isBuffer(body) ? [body] : body) {
    pending.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    while (length >= size) {
      const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      yield joined.subarray(0, size);
      pending = [joined.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(pending);
}

/**
 * Objects in an S3 bucket (or an S3-compatible store). A body is streamed:
 * under one part size it is one PutObject, otherwise a multipart upload that
 * holds one part in memory at a time. Either way S3 shows the object only
 * once it is whole.
 */
export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  readonly bucket: string;
  /** "" or a prefix ending in "/". */
  readonly prefix: string;
  private readonly partSize: number;

  constructor(options: S3StoreOptions) {
    const partSize = options.partSize ?? DEFAULT_PART_SIZE;
    if (partSize < MIN_PART_SIZE) throw new RangeError(`partSize ${partSize} is under S3's minimum part size of ${MIN_PART_SIZE} bytes`);
    const prefix = (options.prefix ?? '').replace(/\/+$/, '');
    this.client = createS3Client(options);
    this.bucket = options.bucket;
    this.prefix = prefix ? `${assertSafeKey(prefix)}/` : '';
    this.partSize = partSize;
  }

  /**
   * The store, once S3 has found its bucket: a bucket that does not exist (a
   * misspelt name; the lake makes none) is named when the lake opens, not by
   * every upload's failure. A refusal (403: a role without s3:ListBucket)
   * proves nothing either way and passes.
   */
  static async open(options: S3StoreOptions): Promise<S3ObjectStore> {
    const store = new S3ObjectStore(options);
    try {
      await store.client.send(new HeadBucketCommand({ Bucket: store.bucket }));
    } catch (error) {
      if (!(error instanceof S3ServiceException)) throw error;
      if (error.$metadata.httpStatusCode === 404) throw new Error(`bucket ${store.bucket} does not exist: create it (the lake makes no bucket)`);
    }
    return store;
  }

  private keyOf(key: string): string {
    return this.prefix + assertSafeKey(key);
  }

  async put(key: string, body: Buffer | Readable, options: { contentType?: string } = {}): Promise<{ size: number }> {
    const target = { Bucket: this.bucket, Key: this.keyOf(key), ContentType: options.contentType };
    const pieces = piecesOf(body, this.partSize);
    const first = await pieces.next();
    const bytes = first.done ? Buffer.alloc(0) : first.value;
    if (bytes.length < this.partSize) {
      await this.client.send(new PutObjectCommand({ ...target, Body: bytes }));
      return { size: bytes.length };
    }
    return this.putParts(target, bytes, pieces);
  }

  private async putParts(
    target: { Bucket: string; Key: string; ContentType?: string },
    first: Buffer,
    rest: AsyncGenerator<Buffer>,
  ): Promise<{ size: number }> {
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target));
    const upload = { Bucket: target.Bucket, Key: target.Key, UploadId };
    const parts: CompletedPart[] = [];
    let size = 0;
    try {
      for (let part: Buffer | undefined = first; part; ) {
        const PartNumber = parts.length + 1;
        const { ETag } = await this.client.send(new UploadPartCommand({ ...upload, PartNumber, Body: part }));
        parts.push({ ETag, PartNumber });
        size += part.length;
        const next = await rest.next();
        part = next.done ? undefined : next.value;
      }
      await this.client.send(new CompleteMultipartUploadCommand({ ...upload, MultipartUpload: { Parts: parts } }));
      return { size };
    } catch (error) {
      await rest.return(undefined); // stops reading the body
      // Frees the parts stored so far. Stores without AbortMultipartUpload
      // (s3rver) answer with an error: the upload was never completed, so no
      // object appeared, and the original error is the one worth reporting.
      await this.client.send(new AbortMultipartUploadCommand(upload)).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const Range = range && `bytes=${range.start}-${range.end}`;
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), Range }));
      return Body as Readable;
    } catch (error) {
      throw isS3NotFound(error) ? new ObjectNotFoundError(key) : error;
    }
  }

  async getBuffer(key: string): Promise<Buffer> {
    return buffer(await this.get(key));
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      const etag = head.ETag?.replaceAll('"', ''); // S3 quotes it, as HTTP does
      return { key, size: head.ContentLength ?? 0, contentType: head.ContentType, lastModified: head.LastModified, etag };
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: this.prefix + prefix });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        yield { key: object.Key!.slice(this.prefix.length), size: object.Size ?? 0 };
      }
    }
  }

  /** The object as AWS services name it (MediaConvert's inputs and outputs): s3://bucket/key. */
  s3Url(key: string): string {
    return `s3://${this.bucket}/${this.keyOf(key)}`;
  }

  /** A presigned URL, once the object is known to be there: presigning alone never asks S3, and a URL to nothing fails later and less clearly. */
  async localPathOrUrl(key: string, options: { expiresInSeconds?: number } = {}): Promise<string> {
    if (!(await this.head(key))) throw new ObjectNotFoundError(key);
    return this.presignedUrl(key, options.expiresInSeconds);
  }

  /** A URL that lets whoever holds it GET the object until it expires, without credentials. */
  presignedUrl(key: string, expiresInSeconds = 3600): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }
}
