/**
 * The race driver image ({@code Race.jar}): classes that see only {@code java.*} and
 * {@code ntio.ddk.*}, packaged on their own and loaded by the kernel from the image alone.
 */
package ntio.stress.race;
