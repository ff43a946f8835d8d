/** heic-decode ships no types: what processors/heif.ts uses of it. */
declare module 'heic-decode' {
  interface DecodedHeif {
    width: number;
    height: number;
    /** RGBA, 8 bits a sample. */
    data: Uint8ClampedArray;
  }
  interface HeifImage {
    /** After the container's transformations (irot, imir, clap), as decode() will give it. */
    width: number;
    height: number;
    decode(): Promise<DecodedHeif>;
  }
  function decode(input: { buffer: Uint8Array }): Promise<DecodedHeif>;
  namespace decode {
    /** The top-level images, parsed but not decoded; dispose() frees the decoder. */
    function all(input: { buffer: Uint8Array }): Promise<HeifImage[] & { dispose(): void }>;
  }
  export default decode;
}
