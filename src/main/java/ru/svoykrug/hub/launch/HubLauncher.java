package ru.svoykrug.hub.launch;

import org.springframework.boot.SpringApplication;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.HubCommands;
import ru.svoykrug.hub.bench.BenchCommand;
import ru.svoykrug.hub.connections.CredentialVault;

import java.util.Arrays;

/**
 * The jar's entry point. With no arguments the hub serves; {@code import-sales}, {@code nightly} and
 * {@code rotate-personal-data-keys} run one job against its database, {@code bench ...} runs a benchmark and {@code new-master-key} prints a
 * fresh Tink keyset for {@code HUB_MASTER_KEY}. Kept apart from {@link HubApplication} because the
 * benchmarks start the application themselves: the command line sits above both.
 */
public final class HubLauncher {

    private HubLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "bench" -> System.exit(BenchCommand.run(rest));
            case "import-sales", "nightly", "rotate-personal-data-keys" -> System.exit(HubCommands.run(command, rest));
            case "new-master-key" -> System.out.println(CredentialVault.newKeysetJson());
            default -> SpringApplication.run(HubApplication.class, args);
        }
    }
}
