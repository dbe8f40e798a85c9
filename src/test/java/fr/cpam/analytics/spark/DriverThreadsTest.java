package fr.cpam.analytics.spark;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.ForeachFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Alone in the suite ({@link Isolated}): it times a cancellation and needs the session's task
 * slots for its own jobs, which another class's tasks would hold.
 */
@Isolated
class DriverThreadsTest extends SparkTestBase {

    @Test
    void theResultsComeInThePiecesOrderWhateverTheParallelism() {
        List<Supplier<Long>> pieces = new ArrayList<>();
        for (long n = 1; n <= 5; n++) {
            long rows = n * 10;
            pieces.add(() -> spark().range(rows).count());
        }
        SparkContext sc = spark().sparkContext();
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), DriverThreads.run(sc, "test-order", 3, pieces));
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), DriverThreads.run(sc, "test-order", 1, pieces));
        // one at a time: on the calling thread, no pool
        Thread caller = Thread.currentThread();
        assertEquals(List.of(caller), DriverThreads.run(sc, "test-order", 1, List.of(Thread::currentThread)));
        assertNotEquals(caller, DriverThreads.run(sc, "test-order", 2, List.of(Thread::currentThread, Thread::currentThread)).get(0));
    }

    /** Counted down by the slow piece's tasks: local mode runs them in this JVM. */
    private static final CountDownLatch TASK_RUNNING = new CountDownLatch(1);

    @Test
    void theFirstFailureIsThrownAsItselfOnceTheOtherPiecesJobsAreCancelledAndThePiecesStopped() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> firstOutcome = new AtomicReference<>();
        AtomicReference<Throwable> secondOutcome = new AtomicReference<>();
        Supplier<String> slow = () -> {
            try {
                try {
                    // two tasks of 5 s each: still running when the other piece fails
                    spark().range(0, 2, 1, 2).foreach((ForeachFunction<Long>) x -> {
                        TASK_RUNNING.countDown();
                        Thread.sleep(5_000);
                    });
                } catch (Exception e) {
                    // Spark's SparkException, checked in Java though Scala does not declare it
                    firstOutcome.set(e);
                }
                // like a signal between two queries: its next job starts after the cancellation
                spark().range(0, 2, 1, 2).foreach((ForeachFunction<Long>) x -> Thread.sleep(5_000));
                return "finished";
            } catch (Exception e) {
                secondOutcome.set(e);
                return "failed";
            } finally {
                ended.countDown();
            }
        };
        Supplier<String> failing = () -> {
            try {
                // fails once the slow piece's job is running
                assertTrue(TASK_RUNNING.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalArgumentException("boom");
        };
        long start = System.nanoTime();
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> DriverThreads.run(spark().sparkContext(), "test-failure", 2, List.of(slow, failing)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("boom", thrown.getMessage());
        // the slow piece had stopped when the failure was thrown: both its jobs were cancelled,
        // neither left to run its 5 s (the first one's tasks may still sleep, its job has failed)
        assertEquals(0, ended.getCount(), "the slow piece still ran when the failure was thrown");
        assertTrue(millis < 4_500, millis + " ms");
        for (AtomicReference<Throwable> outcome : List.of(firstOutcome, secondOutcome)) {
            assertNotNull(outcome.get(), "a job of the slow piece was not cancelled");
            assertTrue(String.valueOf(outcome.get().getMessage()).toLowerCase().contains("cancel"), outcome.get().getMessage());
        }
    }
}
