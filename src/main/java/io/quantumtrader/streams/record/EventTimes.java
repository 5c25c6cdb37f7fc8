package io.quantumtrader.streams.record;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The envelope's {@code time} attribute (RFC 3339 UTC, as {@link Instant#toString()} writes it) without the
 * general-purpose {@code DateTimeFormatter}: {@link Instant#parse} and {@link Instant#toString} took about 12 % of a
 * task's processing time in the benchmarks (docs/BENCHMARKS.md, issue 12). The common shape
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (years 0000–9999) is handled here; anything else goes to {@link Instant}, so
 * the accepted inputs, the results and the errors are exactly {@link Instant}'s.
 */
public final class EventTimes {

    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private EventTimes() {
    }

    /**
     * @param text an RFC 3339 / ISO-8601 instant
     * @return the same instant as {@link Instant#parse(CharSequence)}
     * @throws DateTimeParseException when {@link Instant#parse} would throw
     */
    public static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(text);
            }
            nanos = digits(text, 20, fraction);
            if (nanos < 0) {
                return Instant.parse(text);
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Instant.parse(text); // malformed or out of range (a leap second, a day 31 of a short month): Instant decides
        }
        long days = epochDay(year, month, day);
        return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** @return {@link Instant#toString()} of {@code time} */
    public static String format(Instant time) {
        long seconds = time.getEpochSecond();
        int nanos = time.getNano();
        if (nanos % 1_000_000 != 0 || seconds < -62_167_219_200L || seconds >= 253_402_300_800L) {
            return time.toString(); // below millisecond precision, or a year outside 0000..9999
        }
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        char[] c = new char[nanos == 0 ? 20 : 24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, month, 2);
        c[7] = '-';
        put(c, 8, day, 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3_600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            c[19] = '.';
            put(c, 20, nanos / 1_000_000, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** @return the decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static boolean leap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        }
        total += DAYS_BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1 : 0) + day - 1;
        return total - 719_528; // days from 0000-01-01 to 1970-01-01
    }
}
