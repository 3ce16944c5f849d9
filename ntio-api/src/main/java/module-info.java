/**
 * What a client or an embedder of ntio compiles against: the system calls of a user-mode client
 * ({@link ntio.api.NtApi}), their result types, and the embedding facade. Like {@code ntio.ddk}
 * for a driver, it holds interfaces and value types only; the kernel implements it and nothing
 * here can reach the kernel's internals.
 */
module ntio.api {
  requires transitive ntio.ddk;

  exports ntio.api;

  uses ntio.api.KernelProvider;
}
