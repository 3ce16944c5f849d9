package ntio.kernel.loader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The two manifest attributes that make a JAR a driver image: its entry class and whether it is a
 * WDM (PnP) driver — what NT reads from the PE header's {@code AddressOfEntryPoint} and the {@code
 * IMAGE_DLLCHARACTERISTICS_WDM_DRIVER} bit.
 *
 * @param entryClass the binary name {@code Ntio-Driver-Entry} gives, or null if it is absent
 * @param wdm {@code Ntio-Wdm}: {@code true}, or {@code false} (also when absent)
 */
record DriverManifest(String entryClass, boolean wdm) {

  /** The attribute naming the entry class, such as {@code com.example.EchoDriver}. */
  static final String ENTRY_ATTRIBUTE = "Ntio-Driver-Entry";

  /** The attribute saying whether the driver is WDM: exactly {@code true} or {@code false}. */
  static final String WDM_ATTRIBUTE = "Ntio-Wdm";

  /**
   * Reads the manifest of an image.
   *
   * @throws BadImageException {@code STATUS_INVALID_IMAGE_FORMAT} if there is no manifest, it does
   *     not parse, or {@code Ntio-Wdm} is neither {@code true} nor {@code false}
   */
  static DriverManifest read(JarImage jar) throws BadImageException {
    byte[] bytes = jar.manifest()
        .orElseThrow(() -> BadImageException.format("the image has no " + JarImage.MANIFEST
            + ": a driver JAR needs a manifest naming its " + ENTRY_ATTRIBUTE));
    Attributes main;
    try {
      main = new Manifest(new ByteArrayInputStream(bytes)).getMainAttributes();
    } catch (IOException | IllegalArgumentException e) {
      throw BadImageException.format("the manifest does not parse: " + e.getMessage());
    }
    String wdm = main.getValue(WDM_ATTRIBUTE);
    if (wdm != null && !wdm.equals("true") && !wdm.equals("false")) {
      throw BadImageException.format(WDM_ATTRIBUTE + " is \"" + wdm + "\", not true or false");
    }
    return new DriverManifest(main.getValue(ENTRY_ATTRIBUTE), "true".equals(wdm));
  }
}
