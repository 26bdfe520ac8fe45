package io.accent.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "DataCommand", mixinStandardHelpOptions = true)
final class DataCommand implements Runnable {
    @Override
    public void run() {}
}
