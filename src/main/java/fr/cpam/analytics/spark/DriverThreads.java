package fr.cpam.analytics.spark;

import org.apache.spark.SparkContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs pieces of driver work that each launch their own Spark jobs, several at a time on driver
 * threads. Worth it for many small computations: between a piece's jobs the driver plans,
 * generates code and reads Delta logs on one thread while the cores wait, and another piece's
 * tasks fill that time. Spark's scheduler is thread-safe; each thread keeps its own job
 * description (Spark's local properties).
 */
public final class DriverThreads {

    private DriverThreads() {
    }

    /**
     * The pieces' results, in the pieces' order. {@code parallelism} 1 runs them one after the
     * other on the calling thread. Every Spark job of the pieces carries {@code tag}: the first
     * failure cancels the pieces not started and the others' jobs, then waits for the running
     * pieces to stop, and is thrown as itself (a runtime exception or an error; anything else
     * wrapped). So nothing of the pieces still runs when this returns or throws.
     */
    public static <T> List<T> run(SparkContext sc, String tag, int parallelism, List<Supplier<T>> pieces) {
        int threads = Math.min(Math.max(1, parallelism), Math.max(1, pieces.size()));
        if (threads == 1) {
            return pieces.stream().map(Supplier::get).toList();
        }
        AtomicInteger created = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, tag + "-" + created.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // results taken as they come, so that a failure is seen at once, not after the pieces before it
        CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
        List<T> out = new ArrayList<>(Collections.nCopies(pieces.size(), null));
        List<Future<Integer>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < pieces.size(); i++) {
                int index = i;
                futures.add(done.submit(() -> {
                    sc.addJobTag(tag);
                    try {
                        out.set(index, pieces.get(index).get());
                        return index;
                    } finally {
                        sc.removeJobTag(tag);
                    }
                }));
            }
            for (int i = 0; i < pieces.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    cancel(futures, pool, sc, tag);
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    cancel(futures, pool, sc, tag);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + tag, e);
                }
            }
            return Collections.unmodifiableList(out);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The pieces not started never start; the running ones' Spark jobs are cancelled until those
     * pieces end. Cancelling once is not enough: a piece between two jobs (planning, reading a
     * Delta log) would start its next job after the cancellation, and keep reading tables a
     * caller may already be changing. No thread is interrupted: a piece may be in a Delta commit.
     */
    private static void cancel(List<? extends Future<?>> futures, ExecutorService pool, SparkContext sc, String tag) {
        futures.forEach(f -> f.cancel(false));
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            sc.cancelJobsWithTag(tag);
            try {
                if (pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true; // still wait: the pieces must not outlive the call
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
