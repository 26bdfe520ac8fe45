/**
 * What every model family shares, and the family registry at the model layer.
 *
 * <p>{@link io.accent.model.TrainedModel} is the family-neutral view of a loaded model (scores,
 * top-k, id maps, the items top-k excludes, its variables); {@link io.accent.model.ModelMetadata}
 * is a directory's {@code model.json}, {@link io.accent.model.ModelFingerprint} the identity that
 * results and caches carry. {@link io.accent.model.ModelFamily} is the lower half of the family
 * seam (name, data files, export, load, import side {@link io.accent.model.ImportFamily}); {@link
 * io.accent.model.ModelFamilies} finds the registered families with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.accent.model.ModelFamily}). No class here names a family.
 *
 * <p>Depends on {@code io.accent.tf}, {@code io.accent.data} and {@code io.accent.core}.
 */
package io.accent.model;
