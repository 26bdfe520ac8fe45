/**
 * The {@code accent} command-line tool (picocli): the last link of data → model → influence →
 * explain → evaluate → cli, and the only package that uses all the others.
 *
 * <p>{@link io.accent.cli.Main} is the entry point; it prints each error as one line and maps it to
 * an exit code (0 ok, 1 unexpected, 2 usage, 3 data, 4 model, 5 solver). The commands follow
 * docs/SPEC.md: {@code data fetch} / {@code data prepare} (§1), {@code train ncf} (§2), {@code
 * train rcf} (§4), {@code recommend} (§2.5, §4.6), {@code influence} (§3, §5), {@code explain} (§6,
 * §8), {@code evaluate} (§7.1–§7.4, §7.6) and {@code compare} (§7.5); {@code data synth}, {@code
 * score}, {@code export-weights} and {@code import} have no counterpart in the reference. Options
 * shared by several commands are picocli mixins ({@code Options}).
 */
package io.accent.cli;
