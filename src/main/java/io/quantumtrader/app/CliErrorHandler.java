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
        print(cmd.getErr(), ex.getMessage(), hint, null);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
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
