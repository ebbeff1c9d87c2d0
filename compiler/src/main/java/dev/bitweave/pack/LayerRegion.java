package dev.bitweave.pack;

/**
 * One linear tensor's place in weights.img.
 *
 * @param address byte address of the region in board memory (weights.img sits at 0)
 * @param size    bytes of the region, a whole number of beats
 */
public record LayerRegion(String name, long address, long size, LinearLayout layout) {
}
