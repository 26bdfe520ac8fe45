/**
 * What every other package shares: the error hierarchy, safe file handling and small utilities. It
 * implements no section of docs/SPEC.md and depends on no other package of the project.
 *
 * <p>{@link io.accent.core.RecsysException} is the root of the library's errors; its subtypes
 * ({@link io.accent.core.DataException}, {@link io.accent.core.ModelException}, {@link
 * io.accent.core.SolverException}, {@link io.accent.core.ConfigException}) carry the CLI's exit
 * codes. {@link io.accent.core.AtomicFiles} writes through a temporary sibling and a rename, {@link
 * io.accent.core.OutputTarget} is the rule for replacing an output directory, {@link
 * io.accent.core.FileLocks} the locks between runs on result files, and {@link
 * io.accent.core.InputFiles} reads user-supplied files without trusting them. {@link
 * io.accent.core.Json}, {@link io.accent.core.Provenance} and {@link io.accent.core.Progress} are
 * the JSON mapper, the record of what produced an artifact and the progress callback.
 */
package io.accent.core;
