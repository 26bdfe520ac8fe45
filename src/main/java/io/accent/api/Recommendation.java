package io.accent.api;

/**
 * One item of a user's top-k list, as returned by {@link AccentModel#recommend(int, int)}.
 *
 * @param item the item's raw id (as in the data set's files and on the command line)
 * @param title the item's title
 * @param score the model's predicted score for the user and the item
 * @param rank the position in the list, 1 for the first recommendation
 */
public record Recommendation(int item, String title, float score, int rank)
        implements java.io.Serializable {}
