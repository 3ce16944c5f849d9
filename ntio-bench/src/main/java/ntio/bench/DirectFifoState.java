package ntio.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The floor's FIFO and the bytes it writes, made once per trial. */
@State(Scope.Thread)
public class DirectFifoState {
  DirectFifo fifo;
  byte[] payload;

  /** Makes an empty FIFO and the {@value EchoStack#TRANSFER} bytes to pass through it; not timed. */
  @Setup(Level.Trial)
  public void create() {
    fifo = new DirectFifo(16 * EchoStack.TRANSFER);
    payload = EchoStack.pattern();
  }

  /**
   * The floor's round trip: writes {@link #payload}, then reads as many bytes back.
   *
   * @return the bytes read
   * @throws IllegalStateException unless every byte went in and came back out
   */
  byte[] writeThenRead() {
    int written = fifo.write(payload);
    byte[] read = fifo.read(payload.length);
    if (written != payload.length || read.length != payload.length) {
      throw new IllegalStateException("the direct FIFO wrote " + written + " and read " + read.length
          + " of " + payload.length + " bytes");
    }
    return read;
  }
}
