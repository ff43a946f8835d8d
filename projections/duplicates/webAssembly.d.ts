// The parts of the WebAssembly JavaScript API that memoryHashes.ts uses:
// Node has it, but @types/node 20 and the project's ES libraries declare none of it.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
