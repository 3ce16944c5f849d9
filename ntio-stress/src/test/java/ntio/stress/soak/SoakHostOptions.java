package ntio.stress.soak;

import ntio.host.daemon.HostOptions;

/** The host options a soak runs with: the defaults a host starts with. */
final class SoakHostOptions {

  private SoakHostOptions() {}

  static HostOptions forSoak(HostOptions defaults) {
    return defaults;
  }
}
