/**
 * A lazily compiled WebAssembly module from a committed base64 string (the generated `*-kernels-wasm.ts`
 * files): compiled on the first call, then returned from cache. Null when this runtime has no WebAssembly
 * or no SIMD (the module does not validate): the callers then use their JS kernels. O(module size) once.
 *
 * @param base64 the module's bytes, base64-encoded.
 * @returns a function giving the compiled module, or null.
 */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Buffer.from(base64, "base64"));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}
