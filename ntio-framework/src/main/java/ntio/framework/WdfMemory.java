package ntio.framework;

import ntio.ddk.PoolBlock;

/**
 * {@code WDFMEMORY}: a buffer with a framework lifetime. Models {@code FxMemoryBufferFromPool}
 * (S8; partial: one allocation holds the buffer, and its header is not part of it). The buffer is
 * kernel pool the framework allocated through the driver's own services with the driver's tag or
 * the tag given, so Driver Verifier tracks it and can fail it. It is freed when the object is
 * destroyed: at its parent's teardown (by default the WDFDRIVER's, L7) or an explicit delete.
 */
public final class WdfMemory extends WdfObject {

  private final PoolBlock buffer;

  WdfMemory(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes) {
    super(globals, WdfHandleType.WDFMEMORY, allocation, attributes);
    this.buffer = allocation.block;
  }

  PoolBlock buffer() {
    return buffer;
  }
}
