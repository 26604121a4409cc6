package ru.svoykrug.hub.bench;

import ru.svoykrug.hub.simulate.Simulators;

import java.util.HashMap;
import java.util.Map;

/** {@code java -jar hub.jar bench <name> [--option value ...]}: prints {@code name: value unit} lines. */
public final class BenchCommand {

    private BenchCommand() {
    }

    public static int run(String[] args) throws Exception {
        if (args.length == 0) {
            // the systems from the one list of simulators: a new system's simulator is offered here by itself
            System.err.println("usage: hub.jar bench ingest [--system " + String.join("|", Simulators.systems())
                    + "] [--records N] [--seed S] [--page-size P] [--window-days D]");
            System.err.println("       hub.jar bench nightly [--customers N] [--transactions M] [--clickhouse-url http://127.0.0.1:8123]");
            System.err.println("       hub.jar bench api [--customers N] [--transactions M] [--clients C] [--seconds S] [--data DIR]");
            System.err.println("       hub.jar bench freshness [--sales N] [--runs R] [--changed C] [--vendor-limits on|off] [--pause-ms P] [--split-batch on|off]");
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad option '" + args[i] + "': options come as --name value");
                return 2;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return switch (args[0]) {
            case "ingest" -> new IngestBenchmark(options).run();
            case "nightly" -> new NightlyBenchmark(options).run();
            case "api" -> new ApiBenchmark(options).run();
            case "freshness" -> new FreshnessBenchmark(options).run();
            default -> {
                System.err.println("unknown benchmark '" + args[0] + "'; known: ingest, nightly, api, freshness");
                yield 2;
            }
        };
    }
}
