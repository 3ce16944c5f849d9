/**
 * The removal race's WDM driver image ({@code Pnp.jar}): built by this module's build as its own
 * image and loaded by the kernel from it alone, never from the class path.
 */
package ntio.stress.pnp;
