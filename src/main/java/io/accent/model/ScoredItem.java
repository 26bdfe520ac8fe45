package io.accent.model;

/**
 * One recommended item.
 *
 * @param item dense item index
 * @param score predicted score (for NCF, the predicted rating)
 */
public record ScoredItem(int item, float score) {}
