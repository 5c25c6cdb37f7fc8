package io.quantumtrader.app;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration option ({@code --timeout}, {@code --wait}) as a person writes one: a whole number with a unit,
 * {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT10M}). picocli's own
 * conversion took ISO-8601 alone and answered {@code --timeout 60} with Java's exception names
 * ({@code cannot convert '60' to class java.time.Duration (java.time.format.DateTimeParseException: ...)}, review
 * 2026-12-07).
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_UNIT.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (v.startsWith("-") && WITH_UNIT.matcher(v.substring(1).trim()).matches()) {
            // said "'-5s' is not a duration" (found in review, 2026-12-07)
            throw new TypeConversionException("'" + value + "' is negative: give a duration such as 90s or 10m");
        }
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration: give a number with its unit, e.g. 90s, 10m, "
                    + "500ms or 2h (or ISO-8601: PT10M)");
        }
    }
}
