/**
 * The wire protocol between a client and {@code ntio host}: length-prefixed frames
 * ({@link ntio.host.wire.FrameCodec}), a versioned handshake ({@link ntio.host.wire.Handshake}),
 * one opcode per {@link ntio.api.NtApi} call ({@link ntio.host.wire.Opcode}), the value
 * encodings ({@link ntio.host.wire.Codec}, where names travel as raw {@code UNICODE_STRING}s), the
 * server's request decoder ({@link ntio.host.wire.ServerCalls}) and the client,
 * {@link ntio.host.wire.RemoteNt}. Bad bytes raise {@link ntio.host.wire.WireException} and nothing
 * else. The layout is documented in {@code docs/protocol.md}.
 */
package ntio.host.wire;
