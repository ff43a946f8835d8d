// The HEVC decoding thread of processors/heif.ts. libheif runs as WASM,
// synchronously, on the thread that calls it: on the main thread each photo
// would stall the log consumers and the API for tens of milliseconds (a
// 12-megapixel one for far longer); here it stalls only this thread. Plain
// JavaScript, so the thread starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import decodeHeif from 'heic-decode';

/** Every alpha sample 255: the alpha channel libheif always gives says nothing, and would grow every rendition. */
function isOpaque(rgba) {
  for (let at = 3; at < rgba.length; at += 4) if (rgba[at] !== 255) return false;
  return true;
}

/** The primary image, refused past the pixel limit on the container's size, before any decoding. */
async function decodePrimary({ bytes, maxInputPixels }) {
  const images = await decodeHeif.all({ buffer: bytes });
  try {
    const primary = images[0];
    if (!primary) throw new Error('the HEIF file holds no image');
    if (primary.width * primary.height > maxInputPixels) {
      throw new Error(`Input image exceeds pixel limit (${primary.width}×${primary.height} > ${maxInputPixels} pixels)`);
    }
    return await primary.decode();
  } finally {
    images.dispose();
  }
}

parentPort.on('message', async (request) => {
  try {
    const { data, width, height } = await decodePrimary(request);
    parentPort.postMessage({ id: request.id, data, width, height, opaque: isOpaque(data) }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
