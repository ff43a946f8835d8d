/** heic-decode ships no types: what bench/heic.ts uses of it. */
declare module 'heic-decode' {
  interface DecodedHeif {
    width: number;
    height: number;
    /** RGBA, 8 bits a sample. */
    data: Uint8ClampedArray;
  }
  export default function decode(input: { buffer: Uint8Array }): Promise<DecodedHeif>;
}
