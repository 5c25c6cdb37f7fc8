package io.quantumtrader.trader.events;

/**
 * {@code audit.decision.log}: one decision (evaluation, sizing, exit, kill switch), never trimmed.
 *
 * @param decisionType EVALUATION, SIZING, EXIT or KILL_SWITCH
 * @param decisionId   the decision's own id
 * @param summary      the decision in words
 * @param decidedAt    event time, epoch ms
 */
public record AuditEntry(String decisionType, String decisionId, String symbol, String summary, long decidedAt) {
}
