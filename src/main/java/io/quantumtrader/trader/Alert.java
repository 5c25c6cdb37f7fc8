package io.quantumtrader.trader;

/**
 * {@code system.alert.triggered} payload raised by the trading system (the kill switch).
 *
 * @param severity  CRITICAL, WARNING or INFO
 * @param timestamp event time, epoch ms
 */
record Alert(String severity, String service, String message, long timestamp) {
}
