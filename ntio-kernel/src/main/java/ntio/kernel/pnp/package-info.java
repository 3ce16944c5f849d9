/**
 * The Plug and Play manager: the device tree of devnodes, the registry's {@code Enum} keys, the
 * root bus, bringing a device's stack up (B41) and taking it down, all serialized on one PnP
 * worker thread. See {@code docs/pnp.md}.
 */
package ntio.kernel.pnp;
