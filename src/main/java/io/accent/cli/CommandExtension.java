package io.accent.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;

/**
 * Commands that a module adds to the {@code accent} command line (the spark module's {@code import
 * spark-als}): registered by a line in {@code META-INF/services/io.accent.cli.CommandExtension} and
 * installed by {@link Main#commandLine(Backend)} after the families' options, so the tool's error
 * lines and exit codes apply to them too. The core registers none.
 */
public interface CommandExtension {

    /** Adds this extension's commands (or subcommands of existing ones) to {@code root}. */
    void install(CommandLine root);

    /** Installs every registered extension, in the order of the services files. */
    static void installAll(CommandLine root) {
        for (CommandExtension e :
                ServiceLoader.load(
                        CommandExtension.class, CommandExtension.class.getClassLoader())) {
            e.install(root);
        }
    }
}
