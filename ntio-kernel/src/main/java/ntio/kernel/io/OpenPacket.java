package ntio.kernel.io;

import ntio.kernel.objects.ParseContext;

/**
 * What an open of a device carries through name lookup to the Device type's parse procedure.
 * Models {@code OPEN_PACKET} (partial).
 *
 * @param shareAccess {@code FILE_SHARE_*}
 * @param createOptions {@code FILE_*} create options
 * @param attachOpen {@code IO_ATTACH_DEVICE}: the open made by {@code IoAttachDevice}, which
 *     bypasses the exclusive-device check (B31)
 */
record OpenPacket(int shareAccess, int createOptions, boolean attachOpen) implements ParseContext {}
