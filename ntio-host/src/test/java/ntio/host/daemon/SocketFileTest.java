package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SocketFileTest {

  @TempDir Path temp;

  @Test
  void theSocketIsBoundWithMode0660AndAnsweredAtItsPathWithNothingLeftBeside() throws IOException {
    Path socket = temp.resolve("ntio.sock");
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      SocketFile.bind(listener, socket);

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
          .isEqualTo("rw-rw----");
      try (Stream<Path> files = Files.list(temp)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ntio.sock");
      }
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          SocketChannel accepted = listener.accept()) {
        assertThat(client.isConnected()).isTrue();
        assertThat(accepted).isNotNull();
      }
    }
  }
}
