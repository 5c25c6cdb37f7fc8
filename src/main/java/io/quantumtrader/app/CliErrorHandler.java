package io.quantumtrader.app;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * picocli's exception handlers for every command: a failure is printed as {@code error: <cause>} and, when there is
 * one, {@code <what to do>} — redacted ({@link Secrets}), with the stack trace only when {@link Verbosity#stackTraces()}
 * — and the command exits with the failure's code ({@link CliException}). Usage errors print the same two lines instead
 * of the whole usage help.
 */
final class CliErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        CliException failure = FailureMessages.describe(ex);
        print(commandLine.getErr(), failure.getMessage(), failure.hint(), ex);
        return failure.exitCode();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String hint = "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = "did you mean " + String.join(" or ", u.getSuggestions()) + "? " + hint;
        }
        print(cmd.getErr(), words(ex), hint, null);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * @return picocli's message in the user's words: an unknown command is "unknown command 'x'" (picocli: "Unmatched
     *         argument at index 0: 'x'"), a value that is not a number says "number" or "whole number" (picocli: "'abc'
     *         is not a double", "… is not an int"); anything else as picocli says it (review 2026-12-07)
     */
    static String words(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        String message = String.valueOf(ex.getMessage());
        return message.replaceAll("is not an? (double|float)\\b", "is not a number")
                .replaceAll("is not an? (int|long|short|byte)\\b", "is not a whole number");
    }

    private static void print(PrintWriter err, String message, String hint, Throwable stack) {
        err.println("error: " + Secrets.redact(message));
        if (hint != null && !hint.isBlank()) {
            err.println("  " + Secrets.redact(hint));
        }
        if (stack != null && Verbosity.stackTraces()) {
            StringWriter trace = new StringWriter();
            stack.printStackTrace(new PrintWriter(trace));
            err.print(Secrets.redact(trace.toString()));
        }
        err.flush();
    }
}
