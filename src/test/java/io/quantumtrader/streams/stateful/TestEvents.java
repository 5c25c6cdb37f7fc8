package io.quantumtrader.streams.stateful;

/** Payloads of the stateful operator tests. */
final class TestEvents {
    private TestEvents() {
    }

    record Trade(String symbol, String side, long qty) {
    }

    record Stats(long trades, long qty) {
        Stats add(Trade t) {
            return new Stats(trades + 1, qty + t.qty());
        }
    }

    record Price(double value) {
    }

    record Tick(String symbol, double price, double size) {
    }

    /** An OHLCV candle; open/close follow event time, so out-of-order ticks land where they belong. */
    record Candle(long windowStart, double open, long openTime, double high, double low, double close, long closeTime,
                  double volume, long trades) {
        static Candle empty() {
            return new Candle(0, 0, Long.MAX_VALUE, 0, 0, 0, Long.MIN_VALUE, 0, 0);
        }

        Candle add(Tick t, long time) {
            boolean first = trades == 0;
            return new Candle(windowStart,
                    time < openTime ? t.price() : open, Math.min(openTime, time),
                    first ? t.price() : Math.max(high, t.price()), first ? t.price() : Math.min(low, t.price()),
                    time >= closeTime ? t.price() : close, Math.max(closeTime, time),
                    volume + t.size(), trades + 1);
        }

        Candle at(long start) {
            return new Candle(start, open, openTime, high, low, close, closeTime, volume, trades);
        }
    }

    /** A tick with its event time, so the candle aggregator can order open/close by event time. */
    record TimedTick(Tick tick, long time) {
    }

    record Position(String symbol, double qty, double entry) {
    }

    record Mark(String symbol, double price, Double qty, Double unrealized) {
    }

    record KillSwitch(boolean active, String reason) {
    }

    record DailyTotal(long day, double sum) {
    }
}
