package io.accent.spark;

import io.accent.core.RecsysException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs one Spark task per input and hands the tasks' outputs to the caller's thread as they finish,
 * in input order or in order of arrival. A library error in a task ({@link RecsysException}: a bad
 * model, data or setting, which a retry would not cure) comes back as a value and is thrown again
 * here with its own type, so the command reports it and exits with its code; any other failure is
 * retried by Spark ({@code spark.task.maxFailures}) and, when retries are spent, ends the job.
 */
final class SparkRuns {

    private SparkRuns() {}

    /** The work of one task: its input in, its outputs out. */
    @FunctionalInterface
    interface Task<I, O> extends Serializable {
        List<O> run(I input) throws Exception;
    }

    /** What a task sends back: its outputs, or the library error that stopped it. */
    record Outcome<O>(List<O> outputs, RecsysException error) implements Serializable {}

    /**
     * Runs {@code task} on every input (one Spark task each) and hands every output to {@code sink}
     * on this thread: all outputs of input j before those of input j+1 when {@code ordered}, else
     * each task's outputs as soon as it finishes.
     */
    static <I extends Serializable, O> void run(
            JavaSparkContext sc,
            String description,
            List<I> inputs,
            Task<I, O> task,
            boolean ordered,
            Consumer<O> sink) {
        if (inputs.isEmpty()) {
            return;
        }
        JavaRDD<I> rdd = sc.parallelize(new ArrayList<>(inputs), inputs.size());
        LinkedBlockingQueue<Object[]> arrived = new LinkedBlockingQueue<>();
        ExecutorService submitter =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "accent-spark-job");
                            t.setDaemon(true);
                            return t;
                        });
        String group = "accent-" + description + "-" + System.nanoTime();
        try {
            Future<?> job =
                    submitter.submit(
                            () -> {
                                sc.setJobGroup(group, description, true);
                                sc.sc()
                                        .runJob(
                                                rdd.rdd(),
                                                new PartitionTask<>(task),
                                                new Handler<>(arrived),
                                                ClassTag$.MODULE$.apply(Outcome.class));
                            });
            Map<Integer, Outcome<O>> waiting = new HashMap<>();
            int next = 0;
            int received = 0;
            while (received < inputs.size()) {
                Object[] e = arrived.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (job.isDone()) {
                        job.get(); // throws the job's failure
                        if (arrived.isEmpty()) {
                            throw new IllegalStateException(
                                    "Spark job '" + description + "' ended without all results");
                        }
                    }
                    continue;
                }
                received++;
                @SuppressWarnings("unchecked")
                Outcome<O> o = (Outcome<O>) e[1];
                if (o.error() != null) {
                    sc.cancelJobGroup(group);
                    throw o.error();
                }
                if (!ordered) {
                    o.outputs().forEach(sink);
                    continue;
                }
                waiting.put((Integer) e[0], o);
                while (waiting.containsKey(next)) {
                    waiting.remove(next++).outputs().forEach(sink);
                }
            }
            job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sc.cancelJobGroup(group);
            throw new IllegalStateException("interrupted while waiting for Spark", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (RuntimeException e) {
            sc.cancelJobGroup(group);
            throw e;
        } finally {
            submitter.shutdownNow();
        }
    }

    /** The exception to report for a failed job: a one-line reason, the task's own if known. */
    private static RuntimeException failure(Throwable t) {
        if (t instanceof RuntimeException r && !(t instanceof SparkException)) {
            return r;
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        // "Job aborted due to stage failure: Task 0 in stage 1.0 failed 2 times, most recent
        // failure: Lost task ... : java.lang.X: reason\n\tat ..."
        int nl = m.indexOf('\n');
        String first = nl < 0 ? m : m.substring(0, nl);
        return new IllegalStateException("Spark job failed: " + first, t);
    }

    /** Runs a task over its partition's one input (on an executor). */
    private static final class PartitionTask<I, O>
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<I>, Outcome<O>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Task<I, O> task;

        PartitionTask(Task<I, O> task) {
            this.task = task;
        }

        @Override
        public Outcome<O> apply(TaskContext context, scala.collection.Iterator<I> inputs) {
            ExecutorSide.pinGpus(context);
            List<O> out = new ArrayList<>();
            try {
                while (inputs.hasNext()) {
                    out.addAll(task.run(inputs.next()));
                }
            } catch (RecsysException e) {
                return new Outcome<>(List.of(), e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new Outcome<>(out, null);
        }
    }

    /** Queues each finished task's outcome for the waiting caller (on the driver). */
    private static final class Handler<O> extends AbstractFunction2<Object, Outcome<O>, BoxedUnit>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient LinkedBlockingQueue<Object[]> arrived;

        Handler(LinkedBlockingQueue<Object[]> arrived) {
            this.arrived = arrived;
        }

        @Override
        public BoxedUnit apply(Object index, Outcome<O> outcome) {
            arrived.add(new Object[] {index, outcome});
            return BoxedUnit.UNIT;
        }
    }
}
