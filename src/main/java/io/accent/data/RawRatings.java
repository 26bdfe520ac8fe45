package io.accent.data;

/** The rows of a MovieLens {@code u.data} file, in file order (raw ids). */
record RawRatings(int[] users, int[] items, int[] ratings, long[] timestamps) {

    int size() {
        return users.length;
    }
}
