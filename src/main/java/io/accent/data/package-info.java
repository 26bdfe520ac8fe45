/**
 * The data sets (docs/SPEC.md §1): raw MovieLens 100K and RCF files (§1.1), their preparation
 * exactly as the reference does it, and the prepared directories the models read. {@link
 * io.accent.data.RatingLayout} recognises the other rating layouts (MovieLens 1M to 32M,
 * HetRec-MovieLens-2k), {@link io.accent.data.DelimitedFormat} describes a generic rating log, and
 * {@link io.accent.data.SplitRule} holds the split parameters.
 *
 * <p>{@link io.accent.data.Datasets} names the archives that can be fetched (MovieLens 100K to 32M,
 * HetRec 2011 MovieLens 2K) with their {@link io.accent.data.Checksum}s and terms; {@link
 * io.accent.data.DatasetCache} downloads, verifies and extracts them into one directory per data
 * set. {@link io.accent.data.DatasetPreparation} binarizes, prunes and splits by time (§1.2),
 * emulating numpy's unstable quicksort so the split is the reference's (§1.3, §9.1), and writes the
 * NCF training file (§1.4) and the RCF triples and test pairs (§1.5). {@link
 * io.accent.data.PreparedDataset} is the NCF view of a prepared directory, {@link
 * io.accent.data.RcfDataset} the RCF view (its own item id space and relational rows, §1.6); {@link
 * io.accent.data.ItemAttributes#shared} gives {@code share} of §1.8 ({@link
 * io.accent.data.MovieAttributes} for the release's three kinds). For RCF with any attribute kinds
 * (§11.2), {@link io.accent.data.ItemAttributes} holds item attributes of K kinds (read from {@code
 * attributes.tsv}, MovieLens genres, HetRec's files or the RCF mapping; written by preparation
 * where the layout has them) and {@link io.accent.data.RelationalRowGenerator} draws seeded
 * relational rows that obey §1.6 for them; without the release, preparation makes RCF's files from
 * them. {@link io.accent.data.SyntheticGenerator} writes the seeded synthetic data set in the raw
 * formats, {@link io.accent.data.ScaledSyntheticGenerator} seeded ratings with personal taste at
 * any size in the MovieLens 1M and 20M layouts (§11.5; neither is in the reference).
 *
 * <p>Depends only on {@code io.accent.core}: the first link of data → model → influence → explain →
 * evaluate → cli.
 */
package io.accent.data;
