package io.accent.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "TrainCommand", mixinStandardHelpOptions = true)
final class TrainCommand implements Runnable {
    @Override
    public void run() {}
}
