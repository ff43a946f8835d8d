// @huggingface/transformers is the maintained successor of @xenova/transformers
// (same API and model layout, by the same author, now under Hugging Face): v3
// runs onnxruntime-node 1.2x, adds dtype selection (fp32/fp16/q8) and gets fixes.
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
  env,
  type PreTrainedTokenizer,
  type Processor as ImagePreprocessor,
  type Tensor,
} from '@huggingface/transformers';
import { openUpright } from './decodedImage';
import { undecodable } from './processor';
import { ModelUnavailableError, type ModelSource } from './modelSource';

export interface ClipOptions {
  source: ModelSource;
  /** Never touch the network: a hub model must already be in cacheDir. */
  offline: boolean;
  /** Where hub models are downloaded to. */
  cacheDir: string;
  dtype: 'fp32' | 'fp16' | 'q8';
  maxInputPixels: number;
}

/** The result for one image: its vector, or why it has none. */
export type ImageEmbedding = Float32Array | Error;

export interface ClipModel {
  /** L2-normalised image embeddings, one per input, in one run of the vision model. */
  embedImages(images: Buffer[]): Promise<ImageEmbedding[]>;
  /** L2-normalised text embeddings, in one run of the text model. */
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** One row per input of an [n, d] embedding tensor, scaled to unit length. */
function rows(embeddings: Tensor): Float32Array[] {
  const [n, d] = embeddings.dims as [number, number];
  const data = embeddings.normalize(2, -1).data as Float32Array;
  return Array.from({ length: n }, (_, i) => data.slice(i * d, (i + 1) * d));
}

/**
 * Decodes (processors/decodedImage.ts) straight to about the model's input size (JPEG shrinks on
 * load), upright: a 24-megapixel photo never becomes a 72 MB pixel buffer. The
 * CLIP preprocessor then does its exact resize, crop and normalisation.
 */
async function decode(bytes: Buffer, edge: number, maxInputPixels: number): Promise<RawImage> {
  const upright = await openUpright(bytes, maxInputPixels);
  const { data, info } = await upright
    .resize(edge, edge, { fit: 'outside' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new RawImage(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height, 3);
}

/** The shortest edge the preprocessor resizes to (CLIP: size.shortest_edge). */
function inputEdge(preprocessor: ImagePreprocessor): number {
  const size = preprocessor.image_processor?.size as { shortest_edge?: number; height?: number; width?: number } | undefined;
  return size?.shortest_edge ?? (Math.max(size?.height ?? 0, size?.width ?? 0) || 224);
}

interface Lazy<T> {
  (): Promise<T>;
  /** What has been loaded (or is loading), without starting a load. */
  started(): Promise<T> | undefined;
}

/** Loads once on first use; a failed load is tried again on the next call. */
function lazily<T>(load: () => Promise<T>): Lazy<T> {
  let loading: Promise<T> | undefined;
  const get = () =>
    (loading ??= load().catch((error: Error) => {
      loading = undefined;
      throw error;
    }));
  return Object.assign(get, { started: () => loading });
}

/**
 * CLIP in this thread through transformers.js: the vision half loads on the
 * first image, the text half on the first text (an ingest worker never loads the
 * text model, a search never the vision model).
 */
export function clipModel(options: ClipOptions): ClipModel {
  const { source } = options;
  env.allowLocalModels = true;
  env.allowRemoteModels = !options.offline && !source.local;
  const load = {
    local_files_only: options.offline || source.local,
    revision: source.revision,
    cache_dir: options.cacheDir,
  };
  const unavailable = (error: Error) => {
    throw new ModelUnavailableError(
      `embedding model ${source.id} could not be loaded from ${source.location}: ${error.message}`,
    );
  };
  const vision = lazily(() =>
    Promise.all([
      AutoProcessor.from_pretrained(source.location, load),
      CLIPVisionModelWithProjection.from_pretrained(source.location, { ...load, dtype: options.dtype }),
    ]).catch(unavailable),
  );
  const text = lazily(() =>
    Promise.all([
      AutoTokenizer.from_pretrained(source.location, load) as Promise<PreTrainedTokenizer>,
      CLIPTextModelWithProjection.from_pretrained(source.location, { ...load, dtype: options.dtype }),
    ]).catch(unavailable),
  );

  return {
    async embedImages(images) {
      const [preprocessor, model] = await vision();
      const edge = inputEdge(preprocessor);
      const decoded = await Promise.all(
        images.map((bytes) =>
          decode(bytes, edge, options.maxInputPixels).catch((error: Error) => undecodable(error)),
        ),
      );
      const readable = decoded.filter((image): image is RawImage => image instanceof RawImage);
      if (!readable.length) return decoded as Error[];
      const { image_embeds } = await model(await preprocessor(readable));
      const vectors = rows(image_embeds as Tensor);
      return decoded.map((image) => (image instanceof RawImage ? vectors.shift()! : image));
    },
    async embedTexts(texts) {
      const [tokenizer, model] = await text();
      const { text_embeds } = await model(tokenizer(texts, { padding: true, truncation: true }));
      return rows(text_embeds as Tensor);
    },
    async dispose() {
      for (const part of [vision.started(), text.started()]) {
        const loaded = await part?.catch(() => undefined);
        await loaded?.[1].dispose();
      }
    },
  };
}
