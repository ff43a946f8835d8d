// The HEVC decoding thread of processors/heif.ts. libheif runs as WASM,
// synchronously, on the thread that calls it: on the main thread each photo
// would stall the log consumers and the API for tens of milliseconds (a
// 12-megapixel one for far longer); here it stalls only this thread. Plain
// JavaScript, so the thread starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import libheif from 'libheif-js/wasm-bundle.js';

const { heif_channel, heif_chroma, heif_colorspace, heif_error_code } = libheif;

/**
 * The decoded planes of `image` as one tight buffer of `channels` samples a
 * pixel, copied out of the WASM memory, which the next decode reuses.
 */
function pixelsOf(image, width, height, channels) {
  const plane = image.channels.find((channel) => channel.id === heif_channel.heif_channel_interleaved);
  if (!plane) throw new Error('libheif gave no interleaved plane');
  const row = width * channels;
  if (plane.stride === row) return plane.data.slice(0, row * height);
  const pixels = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) pixels.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
  return pixels;
}

/** libheif answers a failure with an error object (its message ends with a newline), or with nothing. */
function check(result, what) {
  if (!result) throw new Error(what);
  if (result.code !== undefined && result.code !== heif_error_code.heif_error_Ok) throw new Error(`${what}: ${String(result.message).trim()}`);
}

/**
 * The primary image as RGB, or RGBA where the file has an alpha plane: asked
 * of libheif directly, since heic-decode always converts to RGBA (a fourth
 * channel to carry and drop again for every opaque photo), defers the
 * conversion to a timer and prints what goes wrong to the console. Refused
 * past the pixel limit on the container's size, before any decoding.
 */
async function decodePrimary({ bytes, maxInputPixels }) {
  await libheif.ready;
  const context = libheif.heif_context_alloc();
  try {
    check(libheif.heif_context_read_from_memory(context, bytes), 'the HEIF file cannot be read');
    const handle = libheif.heif_js_context_get_primary_image_handle(context);
    check(handle, 'the HEIF file has no primary image');
    try {
      const width = libheif.heif_image_handle_get_width(handle);
      const height = libheif.heif_image_handle_get_height(handle);
      if (width * height > maxInputPixels) throw new Error(`Input image exceeds pixel limit (${width}×${height} > ${maxInputPixels} pixels)`);
      const channels = libheif.heif_image_handle_has_alpha_channel(handle) ? 4 : 3;
      const chroma = channels === 4 ? heif_chroma.heif_chroma_interleaved_RGBA : heif_chroma.heif_chroma_interleaved_RGB;
      const image = await libheif.heif_js_decode_image2(handle, heif_colorspace.heif_colorspace_RGB, chroma);
      check(image, 'the HEIF image cannot be decoded');
      try {
        return { data: pixelsOf(image, width, height, channels), width, height, channels };
      } finally {
        libheif.heif_image_release(image.image);
      }
    } finally {
      libheif.heif_image_handle_release(handle);
    }
  } finally {
    context.delete();
  }
}

parentPort.on('message', async (request) => {
  try {
    const decoded = await decodePrimary(request);
    parentPort.postMessage({ id: request.id, ...decoded }, [decoded.data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
