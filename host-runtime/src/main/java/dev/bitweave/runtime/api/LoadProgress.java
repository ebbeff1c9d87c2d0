package dev.bitweave.runtime.api;

/**
 * Receives the progress of loading a build's images into board memory: after every chunk
 * written, the image being written and the bytes written so far out of all images' bytes.
 * Called on the thread that opens the board.
 */
@FunctionalInterface
public interface LoadProgress {
    LoadProgress NONE = (image, done, total) -> { };

    void loaded(String image, long bytesDone, long bytesTotal);
}
