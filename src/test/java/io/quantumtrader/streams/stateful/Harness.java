package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TestRecord;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.streams.dsl.Topology;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one topology either in the in-memory {@link TopologyTestDriver} or on Redis, behind one interface, so a test
 * can assert that both give the same results for the same input. Inputs piped before a {@link #flush()} are processed
 * before those piped after it (on Redis: published, then drained).
 */
abstract class Harness implements AutoCloseable {

    @Override
    public abstract void close();

    enum Mode { DRIVER, REDIS }

    static Harness of(Mode mode, Topology topology) {
        return mode == Mode.DRIVER ? new Driver(topology) : new Redis(topology, StreamCatalog.defaults());
    }

    abstract void pipe(String stream, String key, Object value, long timestamp);

    abstract void flush();

    abstract <V> List<TestRecord<V>> read(String stream, Class<V> type);

    <V> List<V> values(String stream, Class<V> type) {
        return read(stream, type).stream().map(TestRecord::value).toList();
    }

    abstract long droppedLate();

    /** @return the entries of {@code <stream>.dlq}, partition 0 */
    abstract List<Map<String, String>> deadLetters(String stream);

    /** @return records stages dropped for another reason than lateness (a null key or value), in all */
    abstract long dropped();

    static final class Driver extends Harness {
        final TopologyTestDriver driver;

        Driver(Topology topology) {
            driver = new TopologyTestDriver(topology);
        }

        @Override
        void pipe(String stream, String key, Object value, long timestamp) {
            driver.createInputStream(stream).pipeInput(key, value, timestamp);
        }

        @Override
        void flush() {
        }

        @Override
        <V> List<TestRecord<V>> read(String stream, Class<V> type) {
            return driver.createOutputStream(stream, type).readRecordsToList();
        }

        @Override
        long droppedLate() {
            return driver.droppedLateRecords();
        }

        @Override
        List<Map<String, String>> deadLetters(String stream) {
            return driver.deadLetters(stream);
        }

        @Override
        long dropped() {
            return driver.droppedRecords().values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    static final class Redis extends Harness {
        final String ns = RedisTestSupport.freshNamespace();
        final StreamsRuntime runtime;
        final EventPublisher publisher;
        final List<EventPublisher.Event> buffered = new ArrayList<>();

        Redis(Topology topology, StreamCatalog catalog) {
            runtime = new StreamsRuntime(topology, StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog)
                    .withBatchSize(16), RedisTestSupport.template());
            publisher = RedisTestSupport.publisher(ns, catalog);
            runtime.start();
        }

        @Override
        void pipe(String stream, String key, Object value, long timestamp) {
            buffered.add(new EventPublisher.Event(stream, key, value, timestamp));
        }

        @Override
        void flush() {
            publisher.sendAll(Flux.fromIterable(List.copyOf(buffered)), 50).block();
            buffered.clear();
            if (!runtime.awaitDrained(Duration.ofSeconds(30))) {
                throw new AssertionError("topology did not drain: " + runtime.lag().block());
            }
        }

        @Override
        <V> List<TestRecord<V>> read(String stream, Class<V> type) {
            flush();
            JsonSerde<V> serde = new JsonSerde<>(type);
            List<TestRecord<V>> out = new ArrayList<>();
            for (Map<String, String> f : RedisTestSupport.entries(ns, stream, 0)) {
                Envelope e = Envelope.fromFields(f);
                out.add(new TestRecord<>(e.subject(), serde.deserialize(e.data()), e.time().toEpochMilli(), e.traceId()));
            }
            return out;
        }

        @Override
        long droppedLate() {
            return runtime.counters().droppedLate();
        }

        @Override
        List<Map<String, String>> deadLetters(String stream) {
            flush();
            return RedisTestSupport.entries(ns, stream + ".dlq", 0);
        }

        @Override
        long dropped() {
            flush();
            return runtime.counters().dropped();
        }

        @Override
        public void close() {
            runtime.close();
        }
    }
}
