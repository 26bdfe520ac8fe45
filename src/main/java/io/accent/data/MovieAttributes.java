package io.accent.data;

import java.util.Arrays;

/**
 * The attributes of one movie in the RCF auxiliary mapping: genre, director and actor ids (each
 * non-empty, without duplicates, in file order). Accessors return copies.
 */
public record MovieAttributes(int[] genres, int[] directors, int[] actors) {

    /** Relation types as numbered in {@code relational_data.csv}. */
    public static final int GENRE = 1;

    public static final int DIRECTOR = 2;
    public static final int ACTOR = 3;

    public MovieAttributes {
        genres = checked(genres, "genre");
        directors = checked(directors, "director");
        actors = checked(actors, "actor");
    }

    private static int[] checked(int[] ids, String what) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("empty " + what + " list");
        }
        return ids.clone();
    }

    @Override
    public int[] genres() {
        return genres.clone();
    }

    @Override
    public int[] directors() {
        return directors.clone();
    }

    @Override
    public int[] actors() {
        return actors.clone();
    }

    /**
     * The attribute ids of relation type {@code type} (1 genre, 2 director, 3 actor), as a copy.
     */
    public int[] ofType(int type) {
        return list(type).clone();
    }

    /** Whether attribute {@code value} of relation type {@code type} is in this movie's list. */
    public boolean has(int type, int value) {
        for (int v : list(type)) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /** The internal array of one type; not to be modified. */
    int[] list(int type) {
        return switch (type) {
            case GENRE -> genres;
            case DIRECTOR -> directors;
            case ACTOR -> actors;
            default ->
                    throw new IllegalArgumentException(
                            "relation type " + type + " is not 1, 2 or 3");
        };
    }

    /**
     * The attributes of type {@code type} that {@code m1} and {@code m2} share, in the reference's
     * order (docs/SPEC.md §1.8): if either list has one element, that element when it occurs in the
     * other list; otherwise the elements of {@code m2}'s list that occur in {@code m1}'s.
     */
    public static int[] shared(MovieAttributes m1, MovieAttributes m2, int type) {
        return ItemAttributes.shared(m1.list(type), m2.list(type));
    }

    /** The number of elements {@link #shared} would return, without allocating. */
    static int sharedCount(MovieAttributes m1, MovieAttributes m2, int type) {
        return ItemAttributes.sharedCount(m1.list(type), m2.list(type));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MovieAttributes m
                && Arrays.equals(genres, m.genres)
                && Arrays.equals(directors, m.directors)
                && Arrays.equals(actors, m.actors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(genres) + Arrays.hashCode(directors))
                + Arrays.hashCode(actors);
    }

    @Override
    public String toString() {
        return "MovieAttributes[genres="
                + Arrays.toString(genres)
                + ", directors="
                + Arrays.toString(directors)
                + ", actors="
                + Arrays.toString(actors)
                + "]";
    }
}
